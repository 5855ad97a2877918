package io.nextbest.models.variant;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Thompson sampling over a template's variants: each variant's success rate (clicks or conversions
 * per impression, pooled over its translations) has a Beta(1 + successes, 1 + failures) posterior;
 * the variant with the highest draw is shown.
 */
public final class VariantChooser {
  private VariantChooser() {}

  /** What a variant has earned so far. */
  public record Arm(String variantId, long impressions, long successes) {}

  /** Index of the chosen arm. */
  public static int choose(List<Arm> arms, RandomGenerator random) {
    if (arms.size() == 1) {
      return 0;
    }
    int best = 0;
    double bestDraw = -1;
    for (int i = 0; i < arms.size(); i++) {
      Arm a = arms.get(i);
      long successes = Math.max(0, Math.min(a.successes(), a.impressions()));
      long failures = Math.max(0, a.impressions() - successes);
      double draw = beta(1 + successes, 1 + failures, random);
      if (draw > bestDraw) {
        bestDraw = draw;
        best = i;
      }
    }
    return best;
  }

  /** A Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
  static double beta(double a, double b, RandomGenerator random) {
    double x = gamma(a, random);
    double y = gamma(b, random);
    return x / (x + y);
  }

  /** Marsaglia and Tsang's method for Gamma(shape ≥ 1, 1). */
  static double gamma(double shape, RandomGenerator random) {
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }
}
