package io.nextbest.models.variant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VariantPosteriorTest {

  @Test
  void withoutDataThePosteriorIsTheUniformPrior() {
    VariantPosterior p = VariantPosterior.of(0, 0);
    assertThat(p.mean()).isEqualTo(0.5);
    assertThat(p.low()).isCloseTo(0.025, within(1e-9));
    assertThat(p.high()).isCloseTo(0.975, within(1e-9));
  }

  @Test
  void matchesTheBetaQuantilesOfAKnownCase() {
    // Beta(11, 91): 10 clicks of 100 impressions; quantiles from scipy.stats.beta.ppf([.025, .975],
    // 11, 91)
    VariantPosterior p = VariantPosterior.of(100, 10);
    assertThat(p.mean()).isCloseTo(11.0 / 102, within(1e-12));
    assertThat(p.low()).isCloseTo(0.055637, within(1e-5));
    assertThat(p.high()).isCloseTo(0.174553, within(1e-5));
  }

  @Test
  void narrowsAsImpressionsGrowAndStaysInsideZeroToOne() {
    VariantPosterior small = VariantPosterior.of(50, 5);
    VariantPosterior large = VariantPosterior.of(50_000, 5_000);
    assertThat(large.high() - large.low()).isLessThan(small.high() - small.low());
    assertThat(large.low()).isLessThan(0.1).isGreaterThan(0.09);
    VariantPosterior huge = VariantPosterior.of(10_000_000, 0);
    assertThat(huge.low()).isGreaterThanOrEqualTo(0);
    assertThat(huge.high()).isLessThan(1e-6);
  }

  @Test
  void clampsSuccessesToTheImpressions() {
    assertThat(VariantPosterior.of(10, 25)).isEqualTo(VariantPosterior.of(10, 10));
    assertThat(VariantPosterior.of(10, -3)).isEqualTo(VariantPosterior.of(10, 0));
  }
}
