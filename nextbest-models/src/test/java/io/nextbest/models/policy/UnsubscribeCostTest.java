package io.nextbest.models.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnsubscribeCostTest {
  private static final UnsubscribeCost COST = new UnsubscribeCost(0.1, 100, 10, 0);

  /** An arm of {@code n} decisions on {@code [1, feature]} with rewards alternating around mean. */
  private static LinearArm arm(int n, double mean) {
    LinearArm a = new LinearArm(2);
    for (int i = 0; i < n; i++) {
      a.update(new double[] {1, i % 3}, mean + (i % 2 == 0 ? 1 : -1));
    }
    return a;
  }

  @Test
  void theChannelsShareIsWhatItsSendsAddOverNone() {
    Map<String, LinearArm> stats = new HashMap<>();
    stats.put(ThompsonPolicy.NONE, arm(400, 4.0));
    stats.put(PolicyModel.POOL + "channel:email", arm(400, 5.0));
    stats.put(PolicyModel.POOL + "channel:push", arm(400, 3.0)); // worse than none
    assertThat(COST.share(stats, "", "email", 0)).isCloseTo(0.2, within(1e-9));
    assertThat(COST.share(stats, "", "push", 0)).isZero();
    // a channel never sent on, or no channel: the prior
    assertThat(COST.share(stats, "", "sms", 0)).isEqualTo(0.1);
    assertThat(COST.share(stats, "", null, 0)).isEqualTo(0.1);
    // the journey horizon's arms are read under its prefix
    assertThat(COST.share(stats, DecisionPolicy.LONG, "email", 0)).isEqualTo(0.1);
  }

  @Test
  void thePriorHoldsUntilBothSidesHaveEnoughDecisions() {
    Map<String, LinearArm> stats = new HashMap<>();
    stats.put(ThompsonPolicy.NONE, arm(99, 4.0));
    stats.put(PolicyModel.POOL + "channel:email", arm(400, 8.0));
    assertThat(COST.share(stats, "", "email", 0)).isEqualTo(0.1);
    stats.put(ThompsonPolicy.NONE, arm(100, 4.0));
    assertThat(COST.share(stats, "", "email", 0)).isCloseTo(0.5, within(1e-9));
    // sends that earn nothing on average cannot be a share of anything
    stats.put(PolicyModel.POOL + "channel:email", arm(400, -1.0));
    assertThat(COST.share(stats, "", "email", 0)).isEqualTo(0.1);
  }

  @Test
  void anUnsubscribeCostsTheSharedPartOfTheRemainingValueWithinTheCeiling() {
    assertThat(COST.cost(200.0, 0.2, 1000)).isCloseTo(40, within(1e-9));
    assertThat(COST.cost(200.0, 0.2, 25)).isEqualTo(25);
    assertThat(COST.cost(null, 0.2, 1000)).isEqualTo(10);
    assertThat(COST.cost(Double.NaN, 0.2, 1000)).isEqualTo(10);
    assertThat(COST.cost(-5.0, 0.2, 1000)).isEqualTo(10);
    assertThat(UnsubscribeCost.channel(List.of("category:shoes", "channel:push")))
        .isEqualTo("push");
    assertThat(UnsubscribeCost.channel(List.of())).isNull();
  }

  @Test
  void refusesASharePastOneAndANegativeCost() {
    assertThatThrownBy(() -> new UnsubscribeCost(1.5, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UnsubscribeCost(Double.NaN, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UnsubscribeCost(0.1, 1, -1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UnsubscribeCost(0.1, 1, 0, 1.2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEstimateNeverFallsBelowTheFloor() {
    UnsubscribeCost floored = new UnsubscribeCost(0.1, 100, 10, 0.1);
    Map<String, LinearArm> stats = new HashMap<>();
    stats.put(ThompsonPolicy.NONE, arm(400, 4.0));
    stats.put(PolicyModel.POOL + "channel:email", arm(400, 5.0));
    stats.put(PolicyModel.POOL + "channel:push", arm(400, 4.2));
    // email adds a fifth, above the floor; push adds 0.2 / 4.2, below it
    assertThat(floored.share(stats, "", "email", 0)).isCloseTo(0.2, within(1e-9));
    assertThat(floored.share(stats, "", "push", 0)).isEqualTo(0.1);
    assertThat(COST.share(stats, "", "push", 0)).isCloseTo(0.2 / 4.2, within(1e-9));
  }

  @Test
  void theMeanRewardIsReadAtTheConstantFeature() {
    LinearArm a = arm(10, 2.5);
    assertThat(a.meanReward(0)).isCloseTo(2.5, within(1e-9));
    assertThat(new LinearArm(2).meanReward(0)).isNaN();
    assertThat(a.meanReward(5)).isNaN();
  }
}
