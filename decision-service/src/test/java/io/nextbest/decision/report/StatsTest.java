package io.nextbest.decision.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.decision.report.OffPolicy.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void normalAndChiSquareTails() {
    assertThat(Stats.normalCdf(1.959964)).isCloseTo(0.975, within(1e-6));
    assertThat(Stats.normalCdf(-3)).isCloseTo(0.0013499, within(1e-6));
    assertThat(Stats.chiSquare1P(3.841459)).isCloseTo(0.05, within(1e-5));
    assertThat(Stats.chiSquare1P(10.828)).isCloseTo(0.001, within(1e-5));
  }

  @Test
  void sampleRatioMismatchIsFlagged() {
    // a 10% control that came out at 8% over 20,000 customers is broken
    double[] broken = Stats.sampleRatio(18_400, 1_600, 0.10);
    assertThat(broken[1]).isLessThan(0.001);
    double[] fine = Stats.sampleRatio(18_010, 1_990, 0.10);
    assertThat(fine[1]).isGreaterThan(0.5);
  }

  @Test
  void alwaysValidPValueIsLargeWithoutEffectAndSmallWithOne() {
    // variance of a difference of two 10% rates over 10,000 each
    double v = 2 * 0.1 * 0.9 / 10_000;
    assertThat(1 / Stats.msprtLikelihoodRatio(0.0, v, 0.02 * 0.02)).isGreaterThan(1);
    assertThat(1 / Stats.msprtLikelihoodRatio(0.03, v, 0.02 * 0.02)).isLessThan(0.001);
  }

  @Test
  void offPolicyEstimatorsRecoverAKnownPolicyValue() {
    // logging: uniform over two actions; "a" pays 1 with probability 0.3, "b" with 0.1
    SplittableRandom random = new SplittableRandom(11);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      String action = random.nextBoolean() ? "a" : "b";
      double reward = random.nextDouble() < (action.equals("a") ? 0.3 : 0.1) ? 1 : 0;
      samples.add(
          new Sample(action, 0.5, reward, Map.of("a", 1.0, "b", 0.0), Map.of("a", 0.25, "b", 0.1)));
    }
    var e = OffPolicy.estimate(samples);
    assertThat(e.ips().value()).isCloseTo(0.3, within(3 * e.ips().se()));
    assertThat(e.snips().value()).isCloseTo(0.3, within(3 * e.snips().se()));
    assertThat(e.doublyRobust().value()).isCloseTo(0.3, within(3 * e.doublyRobust().se()));
    assertThat(e.doublyRobust().se()).isLessThanOrEqualTo(e.ips().se());
    assertThat(e.effectiveSampleSize()).isCloseTo(20_000, within(500.0));
    assertThat(e.ips().low()).isLessThan(0.3);
    assertThat(e.ips().high()).isGreaterThan(0.3);
  }
}
