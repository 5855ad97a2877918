package io.nextbest.models.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.models.policy.ThompsonPolicy.ArmValue;
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
  void aTemperedPosteriorDrawsFromTheScaledSpreadAndReportsTheUntemperedOne() {
    var arms = List.of(new ArmValue("a", 0.12, 0.04), new ArmValue("b", 0.11, 0.06));
    var tempered = new ThompsonPolicy(0.02, 256, 0.25).probabilities(NONE, arms);
    var scaled =
        new ThompsonPolicy(0.02, 256)
            .probabilities(
                new ArmValue(ThompsonPolicy.NONE, 0.10, 0.0025),
                List.of(new ArmValue("a", 0.12, 0.01), new ArmValue("b", 0.11, 0.015)));
    for (String id : List.of(ThompsonPolicy.NONE, "a", "b")) {
      assertThat(tempered.get(id)).isCloseTo(scaled.get(id), within(1e-9));
    }
    // the best mean wins more often than under plain Thompson sampling
    var plain = new ThompsonPolicy(0.02, 256).probabilities(NONE, arms);
    assertThat(tempered.get("a")).isGreaterThan(plain.get("a"));
    var choice = new ThompsonPolicy(0.02, 256, 0.25).choose(NONE, arms, new SplittableRandom(3));
    assertThat(choice.propensity()).isCloseTo(tempered.get(choice.armId()), within(1e-12));
    if (!choice.armId().equals(ThompsonPolicy.NONE)) {
      double sd =
          arms.stream()
              .filter(x -> x.armId().equals(choice.armId()))
              .findFirst()
              .orElseThrow()
              .sd();
      assertThat(choice.upliftSd()).isCloseTo(Math.hypot(sd, NONE.sd()), within(1e-12));
    }
  }

  @Test
  void atTemperatureZeroOnlyEpsilonExplores() {
    var arms = List.of(new ArmValue("a", 0.12, 0.04), new ArmValue("b", 0.11, 0.06));
    var p = new ThompsonPolicy(0.03, 64, 0).probabilities(NONE, arms);
    assertThat(p.get("a")).isCloseTo(0.97 + 0.01, within(1e-9));
    assertThat(p.get("b")).isCloseTo(0.01, within(1e-9));
    assertThat(p.get(ThompsonPolicy.NONE)).isCloseTo(0.01, within(1e-9));
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
  void winProbabilityAgreesWithAFineIntegralOverTheWholeRange() {
    ThompsonPolicy policy = new ThompsonPolicy(0, 64);
    SplittableRandom random = new SplittableRandom(3);
    for (int trial = 0; trial < 200; trial++) {
      var arms = new java.util.ArrayList<ArmValue>();
      int k = 2 + random.nextInt(8);
      for (int i = 0; i < k; i++) {
        // spreads from sure (sd 0) to vague, means from far apart to overlapping
        double sd = random.nextInt(6) == 0 ? 0 : Math.pow(10, -3 + 2.5 * random.nextDouble());
        arms.add(new ArmValue("a" + i, 0.1 + 0.05 * random.nextDouble(), sd));
      }
      for (int i = 0; i < k; i++) {
        assertThat(policy.winProbability(arms, i))
            .as("trial %d arm %d of %s", trial, i, arms)
            .isCloseTo(reference(arms, i), within(2e-5));
      }
    }
  }

  /** ∫ φ_i(t) Π_{j≠i} P(draw_j < t) dt up to 10 sd with 40,000 midpoints, ties split evenly. */
  private static double reference(List<ArmValue> arms, int i) {
    ArmValue a = arms.get(i);
    if (a.sd() == 0) {
      double p = 1;
      int ties = 0;
      for (int j = 0; j < arms.size(); j++) {
        ArmValue o = arms.get(j);
        if (j != i && o.sd() == 0 && o.mean() == a.mean()) {
          ties++;
        } else if (j != i) {
          p *= below(o, a.mean());
        }
      }
      return ties == 0 ? p : p * 0.5;
    }
    // a sure arm is a step: start where arm i draws above every sure one
    double from = -10;
    for (int j = 0; j < arms.size(); j++) {
      if (j != i && arms.get(j).sd() == 0) {
        from = Math.max(from, (arms.get(j).mean() - a.mean()) / a.sd());
      }
    }
    if (from >= 10) {
      return 0;
    }
    int n = 40_000;
    double step = (10 - from) / n;
    double sum = 0;
    for (int s = 0; s < n; s++) {
      double z = from + (s + 0.5) * step;
      double p = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
      for (int j = 0; j < arms.size() && p > 0; j++) {
        if (j != i) {
          p *= below(arms.get(j), a.mean() + a.sd() * z);
        }
      }
      sum += p * step;
    }
    return sum;
  }

  private static double below(ArmValue o, double t) {
    if (o.sd() == 0) {
      return t > o.mean() ? 1 : t == o.mean() ? 0.5 : 0;
    }
    return Gaussian.cdf((t - o.mean()) / o.sd());
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
