package io.nextbest.profile.features;

import static io.nextbest.profile.features.Fold.event;
import static io.nextbest.profile.features.Fold.features;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.profile.sentiment.ReviewSentiment;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReviewFeaturesTest {

  @Test
  void reviewSentimentIsTheMeanScoreOfReviewsWithText() {
    String good = "Excellent tea, I love it.";
    String bad = "Terrible packaging, the mug arrived broken.";
    var f =
        features(
            event("review", Map.of("rating", 5, "text", good)),
            event("review", Map.of("rating", 1, "text", bad)),
            event("review", Map.of("rating", 4)),
            event("review", Map.of("rating", 3, "text", "   ")));
    double expected =
        (ReviewSentiment.shared().score(good, null) + ReviewSentiment.shared().score(bad, null))
            / 2;
    assertThat(f.get("reviewCount")).isEqualTo(4L);
    assertThat((double) f.get("reviewSentiment")).isCloseTo(expected, within(1e-4));
  }

  @Test
  void noReviewTextGivesNoSentiment() {
    var f = features(event("review", Map.of("rating", 2)));
    assertThat(f.get("reviewCount")).isEqualTo(1L);
    assertThat(f.get("reviewSentiment")).isNull();
  }

  @Test
  void theCustomersLocaleChoosesTheLexicon() {
    var german = new EventFacts.Context(ZoneOffset.UTC, "de-DE", Set.of());
    var f =
        features(german, event("review", Map.of("rating", 1, "text", "Schrecklich, nie wieder.")));
    assertThat((double) f.get("reviewSentiment")).isNegative();
  }
}
