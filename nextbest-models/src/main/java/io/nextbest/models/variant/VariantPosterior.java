package io.nextbest.models.variant;

import org.hipparchus.distribution.continuous.BetaDistribution;

/**
 * The posterior of a variant's success rate that {@link VariantChooser} samples from: Beta(1 +
 * successes, 1 + failures) under a uniform prior, summarised by its mean and its central 95%
 * credible interval (the 2.5% and 97.5% quantiles).
 *
 * @param mean (1 + successes) / (2 + impressions)
 * @param low the 2.5% quantile
 * @param high the 97.5% quantile
 */
public record VariantPosterior(double mean, double low, double high) {
  /**
   * Past this many pseudo-observations the Beta quantiles are taken from its normal approximation
   * (same mean and variance): the exact inversion gains nothing visible there and costs a root
   * search per bound.
   */
  static final double NORMAL_FROM = 1e6;

  private static final double Z975 = 1.959963984540054;

  /** The posterior after {@code successes} of {@code impressions} (clamped into 0..impressions). */
  public static VariantPosterior of(long impressions, long successes) {
    long n = Math.max(0, impressions);
    long s = Math.max(0, Math.min(successes, n));
    double a = 1.0 + s;
    double b = 1.0 + (n - s);
    double mean = a / (a + b);
    if (a + b >= NORMAL_FROM) {
      double sd = Math.sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));
      return new VariantPosterior(
          mean, Math.max(0, mean - Z975 * sd), Math.min(1, mean + Z975 * sd));
    }
    BetaDistribution beta = new BetaDistribution(a, b);
    return new VariantPosterior(
        mean, beta.inverseCumulativeProbability(0.025), beta.inverseCumulativeProbability(0.975));
  }
}
