package io.nextbest.decision.policy;

import java.util.SplittableRandom;

/** Standard normal draws (Marsaglia polar method) from a {@link SplittableRandom}. */
final class Gaussian {
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
}
