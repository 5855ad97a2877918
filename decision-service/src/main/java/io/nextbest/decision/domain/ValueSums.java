package io.nextbest.decision.domain;

import io.nextbest.models.policy.Stats;

/**
 * Running sums from which a policy's value per decision is estimated without re-reading the log:
 * self-normalized inverse propensity scoring (Swaminathan & Joachims 2015) with the delta-method
 * standard error {@code sqrt(Σ w²(r − v)²) / Σw}, expanded so that it needs only sums. With every
 * weight 1 it is the plain mean of on-policy rewards. Sums are additive: a learning step adds its
 * decisions' terms and stores the totals.
 *
 * @param n decisions
 * @param sw Σw
 * @param swr Σw·r
 * @param sw2 Σw²
 * @param sw2r Σw²·r
 * @param sw2r2 Σw²·r²
 * @param matches decisions where the target's top action was the one logged ({@link #topAction})
 * @param sdr Σ of the doubly-robust terms
 * @param sdr2 Σ of their squares
 */
public record ValueSums(
    long n,
    double sw,
    double swr,
    double sw2,
    double sw2r,
    double sw2r2,
    long matches,
    double sdr,
    double sdr2) {
  public static final ValueSums ZERO = new ValueSums(0, 0, 0, 0, 0, 0, 0, 0, 0);

  /**
   * These sums with one more decision of weight {@code w}, reward {@code r} and doubly-robust term
   * {@code dr}.
   */
  public ValueSums add(double w, double r, double dr, boolean match) {
    if (!Double.isFinite(w) || !Double.isFinite(r) || !Double.isFinite(dr)) {
      return this;
    }
    return new ValueSums(
        n + 1,
        sw + w,
        swr + w * r,
        sw2 + w * w,
        sw2r + w * w * r,
        sw2r2 + w * w * r * r,
        matches + (match ? 1 : 0),
        sdr + dr,
        sdr2 + dr * dr);
  }

  /** The doubly-robust value per decision with its 95% interval. */
  public Stats.Interval doublyRobust() {
    return n == 0 ? Stats.Interval.of(0, 0) : Stats.mean(sdr, sdr2, n);
  }

  /** The totals of both. */
  public ValueSums plus(ValueSums o) {
    return new ValueSums(
        n + o.n,
        sw + o.sw,
        swr + o.swr,
        sw2 + o.sw2,
        sw2r + o.sw2r,
        sw2r2 + o.sw2r2,
        matches + o.matches,
        sdr + o.sdr,
        sdr2 + o.sdr2);
  }

  /** Self-normalized value per decision with its 95% interval; zero without weight. */
  public Stats.Interval value() {
    if (sw <= 0) {
      return Stats.Interval.of(0, 0);
    }
    double v = swr / sw;
    double ss = Math.max(0, sw2r2 - 2 * v * sw2r + v * v * sw2);
    return Stats.Interval.of(v, Math.sqrt(ss) / sw);
  }

  /** (Σw)²/Σw²: how many on-policy decisions the estimate is worth. */
  public double effectiveSampleSize() {
    return sw2 > 0 ? sw * sw / sw2 : 0;
  }

  /**
   * Share of decisions where the target's top action was the logged one: the scorecard's and the
   * off-policy evaluation's {@code matchRate} alike.
   */
  public double matchRate() {
    return n == 0 ? 0 : (double) matches / n;
  }

  /**
   * The action a target policy puts most probability on; among equals the first in the map's order.
   * One definition for every match rate, so the scorecard and the evaluations agree.
   */
  public static String topAction(java.util.Map<String, Double> probabilities) {
    String best = "";
    double max = -1;
    for (var e : probabilities.entrySet()) {
      if (e.getValue() > max) {
        max = e.getValue();
        best = e.getKey();
      }
    }
    return best;
  }
}
