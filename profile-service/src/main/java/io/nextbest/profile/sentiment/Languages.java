package io.nextbest.profile.sentiment;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Picks a text's language: the primary subtag of a BCP 47 locale, or, when the customer has none, a
 * guess from common function words and letters that only some languages use (enough for review
 * texts of a sentence or more; a text with neither is taken as English).
 */
public final class Languages {
  // The package names a few languages by older or merged codes.
  private static final Map<String, String> ALIASES =
      Map.of("nb", "no", "nn", "no", "he", "iw", "jv", "jw", "fil", "tl");

  /** The languages a text without a locale may be guessed as, in the order ties go. */
  static final List<String> GUESSED = List.of("en", "de", "fr", "es", "it", "pt", "nl");

  private static final Map<String, Set<String>> FUNCTION_WORDS =
      Map.of(
          "en",
          Set.of(
              "the", "and", "is", "was", "it", "this", "with", "very", "but", "for", "of", "not",
              "a", "an", "i", "my", "to", "in", "they", "will", "by", "has", "are", "from", "on"),
          "de",
          Set.of(
              "der", "die", "das", "und", "ist", "nicht", "sehr", "mit", "ich", "ein", "eine",
              "einen", "war", "zu", "den", "dem", "des", "hat", "habe", "auf", "für", "auch", "aus",
              "wieder", "alles"),
          "fr",
          Set.of(
              "le", "la", "les", "et", "est", "pas", "très", "avec", "je", "un", "une", "des", "du",
              "de", "ce", "c'est", "il", "elle", "pour", "mais", "tout", "par", "sur", "ma", "mon",
              "était", "j'ai"),
          "es",
          Set.of(
              "el", "la", "los", "las", "y", "es", "muy", "con", "pero", "un", "una", "del", "que",
              "de", "este", "esta", "por", "para", "lo", "mi", "al", "no", "está", "todo", "en"),
          "it",
          Set.of(
              "il", "la", "lo", "gli", "le", "e", "è", "molto", "con", "non", "un", "una", "uno",
              "della", "del", "che", "ma", "di", "da", "questo", "questa", "per", "mia", "mio",
              "sono", "ho", "ha", "era"),
          "pt",
          Set.of(
              "o", "a", "os", "as", "e", "é", "muito", "com", "não", "um", "uma", "do", "da", "mas",
              "para", "que", "de", "em", "meu", "minha", "foi", "está"),
          "nl",
          Set.of(
              "de", "het", "een", "en", "is", "niet", "zeer", "erg", "met", "ik", "maar", "van",
              "zijn", "dat", "voor", "op", "te", "was", "heel"));

  // letters that point to a language (a word with one counts like a function word)
  private static final Map<String, String> LETTERS =
      Map.of(
          "de", "äöüß",
          "fr", "çéèêâîôûœëï",
          "es", "ñáíóúé",
          "it", "àèìòù",
          "pt", "ãõçáéêóúâô",
          "nl", "ĳ");

  private Languages() {}

  /** The lexicon code of a locale such as {@code de-AT} or {@code zh-TW}; null when absent. */
  public static String ofLocale(String locale) {
    if (locale == null || locale.isBlank()) {
      return null;
    }
    Locale l = Locale.forLanguageTag(locale.replace('_', '-'));
    String lang = l.getLanguage();
    if (lang.isEmpty()) {
      return null;
    }
    if (lang.equals("zh")) {
      boolean traditional =
          "Hant".equals(l.getScript()) || Set.of("TW", "HK", "MO").contains(l.getCountry());
      return traditional ? "zh-tw" : "zh";
    }
    return ALIASES.getOrDefault(lang, lang);
  }

  /** The language the text's words point to most; null when none points anywhere. */
  public static String guess(String text) {
    List<String> tokens = ReviewSentiment.tokens(text);
    String best = null;
    int bestHits = 0;
    for (String lang : GUESSED) {
      Set<String> words = FUNCTION_WORDS.get(lang);
      String letters = LETTERS.getOrDefault(lang, "");
      int hits = 0;
      for (String t : tokens) {
        if (words.contains(t)) {
          hits++;
        }
        if (t.chars().anyMatch(c -> letters.indexOf(c) >= 0)) {
          hits++;
        }
      }
      if (hits > bestHits) {
        best = lang;
        bestHits = hits;
      }
    }
    return best;
  }
}
