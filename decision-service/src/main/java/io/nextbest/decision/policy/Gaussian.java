package io.nextbest.decision.policy;

import java.util.SplittableRandom;

/** The standard normal: draws (Marsaglia polar method) and its distribution function. */
public final class Gaussian {
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

  private Gaussian() {}

  static double next(SplittableRandom random) {
    double u;
    double v;
    double s;
    do {
      u = 2 * random.nextDouble() - 1;
      v = 2 * random.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }

  /** Standard normal CDF (Zelen & Severo / Abramowitz-Stegun 26.2.17, error below 7.5e-8). */
  public static double cdf(double z) {
    if (Double.isNaN(z)) {
      return Double.NaN;
    }
    double t = 1 / (1 + 0.2316419 * Math.abs(z));
    double poly =
        t
            * (0.319381530
                + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
    double tail = Math.exp(-z * z / 2) * INV_SQRT_2PI * poly;
    return z >= 0 ? 1 - tail : tail;
  }
}
