package io.nextbest.profile.sentiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Scores a review text in [-1, 1] with the lexicon of its language: the sum of the valences of its
 * words (a negator flips the next {@value #NEGATION_SCOPE} words of its clause), squashed by
 * VADER's normalisation s / sqrt(s² + {@value #ALPHA}) (Hutto &amp; Gilbert 2014). The language is
 * the customer's {@code locale} when a lexicon for it ships, else the language whose common words
 * the text uses most ({@link Languages}), else English. Lexicons load per language on first use; at
 * most {@value #MAX_LEXICONS} are held (about 0.5 MiB each in the heap, 53 MiB for all 104), the
 * least recently used going first and loading again when a review needs it.
 */
public final class ReviewSentiment {
  static final double ALPHA = 15;
  static final int NEGATION_SCOPE = 3;
  private static final String FALLBACK = "en";
  private static final String CLAUSE_ENDS = ".,;:!?\n";
  private static final ReviewSentiment SHARED = new ReviewSentiment();

  /** Most lexicons held at once. */
  static final int MAX_LEXICONS = 16;

  // in access order, so the eldest entry is the least recently used; guarded by itself
  private final Map<String, SentimentLexicon> lexicons =
      new LinkedHashMap<>(2 * MAX_LEXICONS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SentimentLexicon> eldest) {
          return size() > MAX_LEXICONS;
        }
      };

  private ReviewSentiment() {}

  /** The process-wide scorer: lexicons are immutable, so one cache serves every caller. */
  public static ReviewSentiment shared() {
    return SHARED;
  }

  /** A text's sentiment in [-1, 1]; 0 when it holds no scored word. */
  public double score(String text, String locale) {
    return normalise(rawScore(text, language(text, locale)));
  }

  /** The language code a text is scored in. */
  public String language(String text, String locale) {
    String fromLocale = Languages.ofLocale(locale);
    if (fromLocale != null && lexicon(fromLocale).isPresent()) {
      return fromLocale;
    }
    String guessed = Languages.guess(text);
    return guessed != null && lexicon(guessed).isPresent() ? guessed : FALLBACK;
  }

  /** The unsquashed valence sum of a text in a language (the lexicon's own scale). */
  public double rawScore(String text, String language) {
    SentimentLexicon lex =
        lexicon(language).or(() -> lexicon(FALLBACK)).orElseThrow(ReviewSentiment::missing);
    List<String> tokens = tokens(text);
    double sum = 0;
    int negated = 0;
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (t.isEmpty()) {
        negated = 0; // a clause ends: "not bad, great" keeps "great" positive
        continue;
      }
      String pair =
          i + 1 < tokens.size() && !tokens.get(i + 1).isEmpty()
              ? t + " " + tokens.get(i + 1)
              : null;
      if (pair != null && lex.isNegator(pair)) {
        negated = NEGATION_SCOPE;
        i++;
        continue;
      }
      if (isNegator(lex, t)) {
        negated = NEGATION_SCOPE;
        continue;
      }
      Integer v = pair == null ? null : lex.valence(pair);
      if (v != null) {
        i++;
      } else {
        v = lex.valence(t);
        int apostrophe = t.lastIndexOf('\'');
        if (v == null && apostrophe > 0 && apostrophe < t.length() - 1) {
          v = lex.valence(t.substring(apostrophe + 1)); // elision: l'aime, dell'albergo
        }
      }
      if (v != null) {
        sum += negated > 0 ? -v : v;
      }
      if (negated > 0) {
        negated--;
      }
    }
    return sum;
  }

  static double normalise(double sum) {
    return sum == 0 ? 0 : sum / Math.sqrt(sum * sum + ALPHA);
  }

  private static boolean isNegator(SentimentLexicon lex, String t) {
    // English contractions beyond the package's short list: didn't, wouldn't, hasn't
    return lex.isNegator(t) || ("en".equals(lex.language()) && t.endsWith("n't"));
  }

  /**
   * Lower-cased words (letters, digits, inner apostrophes), one token per emoji or other symbol,
   * and an empty token at each clause boundary.
   */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    String s = text.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)
          || (cp == '\''
              && word.length() > 0
              && i < s.length()
              && Character.isLetter(s.codePointAt(i)))
          || Character.getType(cp) == Character.NON_SPACING_MARK
          || Character.getType(cp) == Character.COMBINING_SPACING_MARK) {
        word.appendCodePoint(cp);
        continue;
      }
      flush(word, out);
      if (CLAUSE_ENDS.indexOf(cp) >= 0) {
        out.add("");
      } else if (Character.getType(cp) == Character.OTHER_SYMBOL) {
        out.add(new String(Character.toChars(cp)));
      }
    }
    flush(word, out);
    return out;
  }

  private static void flush(StringBuilder word, List<String> out) {
    if (word.length() > 0) {
      out.add(word.toString());
      word.setLength(0);
    }
  }

  private Optional<SentimentLexicon> lexicon(String language) {
    synchronized (lexicons) {
      SentimentLexicon cached = lexicons.get(language);
      if (cached != null) {
        return Optional.of(cached);
      }
    }
    // only shipped languages are held, so customers' odd locales cannot grow the cache; loaded
    // outside the lock (two callers may both load one language, and one copy stays)
    Optional<SentimentLexicon> loaded =
        SentimentLexicon.shipped(language) ? SentimentLexicon.load(language) : Optional.empty();
    loaded.ifPresent(
        lex -> {
          synchronized (lexicons) {
            lexicons.putIfAbsent(language, lex);
          }
        });
    return loaded;
  }

  /** Languages whose lexicon is held now. */
  int lexiconsHeld() {
    synchronized (lexicons) {
      return lexicons.size();
    }
  }

  private static IllegalStateException missing() {
    return new IllegalStateException(
        "no sentiment lexicon on the classpath: build profile-service with Maven, which copies"
            + " them from profile-service/sentiment");
  }
}
