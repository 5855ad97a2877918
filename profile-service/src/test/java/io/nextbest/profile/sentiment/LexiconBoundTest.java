package io.nextbest.profile.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reviews in many languages keep a bounded number of lexicons in memory, with the same scores. */
class LexiconBoundTest {
  static final List<String> LOCALES =
      List.of(
          "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "fi", "pl", "cs", "hu", "ro", "tr",
          "el", "ru", "uk", "bg", "hr", "sk", "sl", "et", "lv", "lt", "no");

  @Test
  void holdsAtMostItsBoundOfLexiconsAndScoresAlikeAfterReloading() {
    ReviewSentiment sentiment = ReviewSentiment.shared();
    double[] first = new double[LOCALES.size()];
    for (int i = 0; i < LOCALES.size(); i++) {
      first[i] = sentiment.score("great, I love it :)", LOCALES.get(i));
      assertThat(sentiment.lexiconsHeld()).isLessThanOrEqualTo(ReviewSentiment.MAX_LEXICONS);
    }
    assertThat(sentiment.lexiconsHeld()).isEqualTo(ReviewSentiment.MAX_LEXICONS);
    // the first languages were let go and load again with the same words
    for (int i = 0; i < LOCALES.size(); i++) {
      assertThat(sentiment.score("great, I love it :)", LOCALES.get(i))).isEqualTo(first[i]);
    }
    assertThat(sentiment.lexiconsHeld()).isLessThanOrEqualTo(ReviewSentiment.MAX_LEXICONS);
  }
}
