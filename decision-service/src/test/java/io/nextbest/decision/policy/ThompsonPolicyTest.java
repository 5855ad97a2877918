package io.nextbest.decision.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.decision.policy.ThompsonPolicy.ArmValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ThompsonPolicyTest {
  private static final ArmValue NONE = new ArmValue(ThompsonPolicy.NONE, 0.10, 0.01);

  @Test
  void clearWinnerIsChosenAndPropensitiesSumToOne() {
    ThompsonPolicy policy = new ThompsonPolicy(0.05, 256);
    var arms = List.of(new ArmValue("a", 0.30, 0.01), new ArmValue("b", 0.12, 0.01));
    var choice = policy.choose(NONE, arms, new SplittableRandom(7));
    var all = policy.probabilities(NONE, arms);
    assertThat(all.values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, within(1e-6));
    assertThat(all.get("a")).isCloseTo(0.95 + 0.05 / 3, within(1e-6));
    assertThat(all.get("b")).isCloseTo(0.05 / 3, within(1e-6));
    assertThat(choice.propensity()).isCloseTo(all.get(choice.armId()), within(1e-12));
    if (choice.armId().equals("a")) {
      assertThat(choice.upliftMean()).isCloseTo(0.20, within(1e-9));
      assertThat(choice.runnerUp()).isEqualTo("b");
    }
  }

  @Test
  void loggedPropensityMatchesTheObservedChoiceFrequency() {
    ThompsonPolicy policy = new ThompsonPolicy(0.1, 512);
    List<ArmValue> arms = List.of(new ArmValue("a", 0.12, 0.05), new ArmValue("b", 0.11, 0.05));
    Map<String, Integer> counts = new HashMap<>();
    double propensityOfA = 0;
    int n = 4_000;
    for (int i = 0; i < n; i++) {
      var c = policy.choose(NONE, arms, new SplittableRandom(i));
      counts.merge(c.armId(), 1, Integer::sum);
      propensityOfA += policy.probabilities(NONE, arms).get("a");
      assertThat(c.propensity())
          .isCloseTo(policy.probabilities(NONE, arms).get(c.armId()), within(1e-12));
    }
    // the mean logged probability of "a" estimates how often "a" is actually chosen
    assertThat(counts.getOrDefault("a", 0) / (double) n).isCloseTo(propensityOfA / n, within(0.03));
    assertThat(counts.keySet()).contains("a", "b", ThompsonPolicy.NONE);
  }

  @Test
  void winProbabilitiesOfOverlappingArmsSumToOne() {
    ThompsonPolicy policy = new ThompsonPolicy(0, 64);
    var arms = new java.util.ArrayList<ArmValue>();
    for (int i = 0; i < 20; i++) {
      arms.add(new ArmValue("c" + i, 0.1 + 0.002 * i, 0.01 + 0.001 * i));
    }
    var p = policy.probabilities(new ArmValue(ThompsonPolicy.NONE, 0.1, 0), arms);
    assertThat(p.values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, within(1e-6));
    // identical arms split evenly
    var twins = policy.probabilities(NONE, List.of(new ArmValue("x", 0.1, 0.01)));
    assertThat(twins.get("x")).isCloseTo(0.5, within(1e-6));
  }

  @Test
  void sameSeedSameDecision() {
    ThompsonPolicy policy = new ThompsonPolicy(0.05, 64);
    List<ArmValue> arms = List.of(new ArmValue("a", 0.1, 0.1), new ArmValue("b", 0.1, 0.1));
    var first = policy.choose(NONE, arms, new SplittableRandom(42));
    var again = policy.choose(NONE, arms, new SplittableRandom(42));
    assertThat(again).isEqualTo(first);
  }

  @Test
  void noneWinsWhenEveryCampaignLosesValue() {
    var choice = ThompsonPolicy.greedy(NONE, List.of(new ArmValue("spam", 0.02, 0.001)));
    assertThat(choice.armId()).isEqualTo(ThompsonPolicy.NONE);
    assertThat(choice.propensity()).isEqualTo(1.0);
    assertThat(choice.runnerUp()).isEqualTo("spam");
    assertThat(choice.runnerUpUplift()).isCloseTo(-0.08, within(1e-12));
  }
}
