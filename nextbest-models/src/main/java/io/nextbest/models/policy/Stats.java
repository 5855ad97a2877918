package io.nextbest.models.policy;

/** Normal-theory statistics the reports use. */
public final class Stats {
  public static final double Z95 = 1.959963984540054;

  private Stats() {}

  /**
   * An estimate with its standard error and 95% confidence interval.
   *
   * @param value point estimate
   * @param se standard error
   * @param low lower 95% bound
   * @param high upper 95% bound
   */
  public record Interval(double value, double se, double low, double high) {
    public static Interval of(double value, double se) {
      return new Interval(value, se, value - Z95 * se, value + Z95 * se);
    }
  }

  /** Standard normal CDF. */
  public static double normalCdf(double z) {
    return io.nextbest.models.policy.Gaussian.cdf(z);
  }

  /** Upper-tail p-value of a χ² statistic with one degree of freedom. */
  public static double chiSquare1P(double chi2) {
    return chi2 <= 0 ? 1 : 2 * (1 - normalCdf(Math.sqrt(chi2)));
  }

  /** A proportion with its normal-approximation interval. */
  public static Interval proportion(long successes, long n) {
    if (n == 0) {
      return Interval.of(0, 0);
    }
    double p = (double) successes / n;
    return Interval.of(p, Math.sqrt(p * (1 - p) / n));
  }

  /** A mean from its sum and sum of squares over n observations. */
  public static Interval mean(double sum, double sumSquares, long n) {
    if (n == 0) {
      return Interval.of(0, 0);
    }
    double m = sum / n;
    double var = n > 1 ? Math.max(0, (sumSquares - n * m * m) / (n - 1)) : 0;
    return Interval.of(m, Math.sqrt(var / n));
  }

  /** Difference of two independent estimates (treated minus control). */
  public static Interval difference(Interval treated, Interval control) {
    return Interval.of(treated.value() - control.value(), Math.hypot(treated.se(), control.se()));
  }

  /**
   * Likelihood ratio of the mixture sequential probability ratio test (Johari et al. 2017) for a
   * difference estimate {@code theta} with variance {@code v} under a normal mixing distribution
   * N(0, τ²); {@code min(1, 1/Λ)} is an always-valid p-value at this look.
   */
  public static double msprtLikelihoodRatio(double theta, double v, double tau2) {
    if (v <= 0) {
      return 1;
    }
    return Math.sqrt(v / (v + tau2)) * Math.exp(tau2 * theta * theta / (2 * v * (v + tau2)));
  }

  /**
   * Sample-ratio-mismatch χ² test of an observed split against the expected control share.
   *
   * @return {chi2, p}
   */
  public static double[] sampleRatio(long treated, long control, double expectedControlShare) {
    long n = treated + control;
    if (n == 0 || expectedControlShare <= 0 || expectedControlShare >= 1) {
      return new double[] {0, 1};
    }
    double ec = n * expectedControlShare;
    double et = n - ec;
    double chi2 = Math.pow(control - ec, 2) / ec + Math.pow(treated - et, 2) / et;
    return new double[] {chi2, chiSquare1P(chi2)};
  }
}
