package io.nextbest.decision.learning;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.decision.report.Stats;
import org.junit.jupiter.api.Test;

class PromotionGuardTest {
  private static Promotion.Scorecard card(
      long n, double online, double manual, double diff, double diffSe) {
    return new Promotion.Scorecard(
        n,
        0.2,
        Stats.Interval.of(online, 0.3),
        Stats.Interval.of(manual, 3.0),
        Stats.Interval.of(diff, diffSe),
        Stats.Interval.of(online, 0.3),
        Stats.Interval.of(online, 0.3),
        n / 10.0);
  }

  @Test
  void aNoisyOffPolicyEstimateOfManualPriorityDoesNotDemoteTheModel() {
    // manual priority's point estimate is above the model's online upper bound, but it rests on a
    // few exploratory choices: the paired difference is far from significant
    var v = Promotion.guard(card(4809, 10.94, 12.16, -1.27, 2.85), 1000);
    assertThat(v.ready()).isFalse();
    assertThat(v.reason()).startsWith("live:");
  }

  @Test
  void aModelSignificantlyWorseThanManualPriorityIsDemoted() {
    var v = Promotion.guard(card(5000, 9.0, 11.0, -2.0, 0.5), 1000);
    assertThat(v.ready()).isTrue();
    assertThat(v.reason()).startsWith("demoted: model − manual -2.0000");
  }

  @Test
  void tooFewLiveDecisionsAreNotJudged() {
    var v = Promotion.guard(card(999, 1, 20, -19, 0.1), 1000);
    assertThat(v.ready()).isFalse();
    assertThat(v.reason()).contains("999 of 1000");
  }
}
