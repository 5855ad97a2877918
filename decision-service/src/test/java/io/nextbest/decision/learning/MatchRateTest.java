package io.nextbest.decision.learning;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.decision.domain.ValueSums;
import io.nextbest.decision.report.OffPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scorecard's match rate and the evaluations' are one quantity, computed one way. */
class MatchRateTest {
  private static Map<String, Double> ordered(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Double) kv[i + 1]);
    }
    return m;
  }

  @Test
  void withAutoCampaignsOnlyTheScorecardAgreesWithTheEvaluationOfTheModel() {
    // live, auto campaigns: manual priority is uniform (its top would be "none"), the model
    // prefers "spring" and took it; the scorecard once compared model with manual (0.0)
    Map<String, Double> model = ordered("none", 0.05, "spring", 0.9, "autumn", 0.05);
    ValueSums sums = ValueSums.ZERO;
    OffPolicy.Accumulator evaluation = new OffPolicy.Accumulator();
    for (int i = 0; i < 60; i++) {
      String logged = i % 20 == 0 ? "autumn" : "spring"; // an exploratory choice now and then
      sums = sums.add(1, 0, 0, PromotionSums.matches(model, logged));
      evaluation.add(new OffPolicy.Sample(logged, 0.9, 0, model, Map.of()));
    }
    assertThat(sums.matchRate()).isEqualTo(57 / 60.0);
    assertThat(evaluation.estimates().matchRate()).isEqualTo(sums.matchRate());
  }

  @Test
  void theTopActionIsTheMostProbableAndTheFirstAmongEquals() {
    assertThat(ValueSums.topAction(ordered("none", 0.25, "a", 0.5, "b", 0.25))).isEqualTo("a");
    assertThat(ValueSums.topAction(ordered("none", 1 / 3.0, "a", 1 / 3.0, "b", 1 / 3.0)))
        .isEqualTo("none");
    assertThat(ValueSums.topAction(Map.of())).isEmpty();
    assertThat(PromotionSums.matches(ordered("a", 1.0), "b")).isFalse();
    assertThat(List.of(PromotionSums.matches(ordered("a", 1.0), "a"))).containsExactly(true);
  }
}
