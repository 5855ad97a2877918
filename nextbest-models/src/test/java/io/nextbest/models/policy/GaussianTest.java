package io.nextbest.models.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GaussianTest {
  /** Φ(z) to double precision (from the complementary error function). */
  private static final double[][] REFERENCE = {
    {-7.99, 6.746937686753595e-16},
    {-6, 9.865876450377012e-10},
    {-4.321, 7.766183692753035e-06},
    {-3, 0.0013498980316300957},
    {-1.2345, 0.1085083233626702},
    {-0.01, 0.4960106436853684},
    {0, 0.5},
    {0.3333, 0.6305460803074295},
    {0.7, 0.758036347776927},
    {1, 0.8413447460685429},
    {1.96, 0.9750021048517795},
    {2.5, 0.9937903346742238},
    {4.1, 0.9999793424930875},
    {7.9, 0.9999999999999986},
  };

  @Test
  void distributionFunctionMatchesReferenceValues() {
    for (double[] r : REFERENCE) {
      assertThat(Gaussian.cdf(r[0])).as("Φ(%s)", r[0]).isCloseTo(r[1], within(3e-10));
    }
  }

  @Test
  void farTailsKeepTheirRelativePrecision() {
    assertThat(Gaussian.cdf(-8.5) / 9.479534822203355e-18).isCloseTo(1, within(1e-6));
    assertThat(Gaussian.cdf(-12) / 1.7764821120776e-33).isCloseTo(1, within(1e-6));
    assertThat(Gaussian.cdf(40)).isEqualTo(1);
    assertThat(Gaussian.cdf(Double.NEGATIVE_INFINITY)).isZero();
    assertThat(Gaussian.cdf(Double.POSITIVE_INFINITY)).isEqualTo(1);
    assertThat(Gaussian.cdf(Double.NaN)).isNaN();
  }

  @Test
  void symmetricAndIncreasingToRoundingAcrossTheTable() {
    double previous = 0;
    for (double z = -9; z <= 9; z += 1.0 / 1000) {
      double p = Gaussian.cdf(z);
      assertThat(p).as("Φ(%s)", z).isGreaterThanOrEqualTo(previous - Math.ulp(1.0));
      assertThat(p + Gaussian.cdf(-z)).as("Φ(%s) + Φ(−%s)", z, z).isCloseTo(1, within(1e-15));
      previous = p;
    }
  }
}
