package io.nextbest.tools.profile;

import io.nextbest.models.clv.BgNbd;
import io.nextbest.models.clv.RepeatBuyers;
import java.util.SplittableRandom;

/**
 * Draws customers from the BG/NBD generative process (FHL 2005 Sec. 3): λ ~ Gamma(r, α), p ~
 * Beta(a, b), purchases Poisson(λ) while alive, dropout with probability p after each purchase.
 * Used to benchmark and sanity-check the fit at scale with known true parameters.
 */
public final class SyntheticCustomers {
  private SyntheticCustomers() {}

  /** {@code n} customers observed for {@code weeks} weeks each (times in weeks). */
  public static RepeatBuyers draw(BgNbd truth, int n, double weeks, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    RepeatBuyers.Builder b = new RepeatBuyers.Builder();
    for (int i = 0; i < n; i++) {
      double lambda = gamma(rnd, truth.r()) / truth.alpha();
      double p = beta(rnd, truth.a(), truth.b());
      double t = 0;
      double last = 0;
      int x = 0;
      while (true) {
        t += -Math.log(1 - rnd.nextDouble()) / lambda;
        if (t > weeks) {
          break;
        }
        x++;
        last = t;
        if (rnd.nextDouble() < p) {
          break;
        }
      }
      b.add(x, x == 0 ? 0 : last, weeks);
    }
    return b.build();
  }

  /** Gamma(shape, 1) by Marsaglia-Tsang, with the shape < 1 boost. */
  public static double gamma(SplittableRandom rnd, double shape) {
    if (shape < 1) {
      return gamma(rnd, shape + 1) * Math.pow(rnd.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double z = normal(rnd);
      double v = 1 + c * z;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rnd.nextDouble();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  static double beta(SplittableRandom rnd, double a, double b) {
    double x = gamma(rnd, a);
    return x / (x + gamma(rnd, b));
  }

  private static double normal(SplittableRandom rnd) {
    double u = 1 - rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
