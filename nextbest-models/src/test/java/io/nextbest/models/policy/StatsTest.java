package io.nextbest.models.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
}
