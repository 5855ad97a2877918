package io.nextbest.decision.report;

import io.nextbest.decision.domain.ValueSums;
import io.nextbest.models.policy.Stats;
import java.util.List;
import java.util.Map;

/**
 * Off-policy estimators of a target policy's value from logged decisions: inverse propensity
 * scoring, self-normalized IPS and doubly robust (Dudík, Langford & Li 2011), each with a normal
 * 95% interval.
 */
public final class OffPolicy {
  private OffPolicy() {}

  /**
   * One logged decision, seen by a target policy.
   *
   * @param action the logged action (campaign id or "none")
   * @param propensity its probability under the logging policy
   * @param reward the reward observed
   * @param target probability of every action under the target policy
   * @param predicted the reward model's prediction for every action
   */
  public record Sample(
      String action,
      double propensity,
      double reward,
      Map<String, Double> target,
      Map<String, Double> predicted) {}

  /**
   * Estimates.
   *
   * @param n decisions used
   * @param ips inverse propensity scoring
   * @param snips self-normalized IPS
   * @param doublyRobust doubly robust
   * @param effectiveSampleSize (Σw)²/Σw², how many decisions the estimate is effectively worth
   * @param matchRate share of decisions where the target puts most probability on the logged action
   *     ({@link ValueSums#topAction}, as the policy scorecard's)
   */
  public record Estimates(
      int n,
      Stats.Interval ips,
      Stats.Interval snips,
      Stats.Interval doublyRobust,
      double effectiveSampleSize,
      double matchRate) {}

  public static Estimates estimate(List<Sample> samples) {
    Accumulator a = new Accumulator();
    samples.forEach(a::add);
    return a.estimates();
  }

  /**
   * The estimators as running sums: samples are added one by one and not kept, so memory does not
   * grow with the number of decisions evaluated.
   */
  public static final class Accumulator {
    private long n;
    private long matches;
    private double sumIps;
    private double sumIps2;
    private double sumDr;
    private double sumDr2;
    private double sumW;
    private double sumW2;
    private double sumW2R;
    private double sumW2R2;

    public void add(Sample s) {
      double pi = s.target().getOrDefault(s.action(), 0.0);
      double w = s.propensity() > 0 ? pi / s.propensity() : 0;
      double ips = w * s.reward();
      double direct = 0;
      for (var e : s.target().entrySet()) {
        direct += e.getValue() * s.predicted().getOrDefault(e.getKey(), 0.0);
      }
      String top = ValueSums.topAction(s.target());
      double dr = direct + w * (s.reward() - s.predicted().getOrDefault(s.action(), 0.0));
      n++;
      sumIps += ips;
      sumIps2 += ips * ips;
      sumDr += dr;
      sumDr2 += dr * dr;
      sumW += w;
      sumW2 += w * w;
      sumW2R += w * w * s.reward();
      sumW2R2 += w * w * s.reward() * s.reward();
      if (s.action().equals(top)) {
        matches++;
      }
    }

    public Estimates estimates() {
      if (n == 0) {
        Stats.Interval zero = Stats.Interval.of(0, 0);
        return new Estimates(0, zero, zero, zero, 0, 0);
      }
      Stats.Interval snips = Stats.Interval.of(0, 0);
      if (sumW > 0) {
        double v = sumIps / sumW;
        // Σ (w (r − v))² expanded into the running sums
        double ss = Math.max(0, sumW2R2 - 2 * v * sumW2R + v * v * sumW2);
        snips = Stats.Interval.of(v, Math.sqrt(ss) / sumW);
      }
      return new Estimates(
          Math.toIntExact(n),
          Stats.mean(sumIps, sumIps2, n),
          snips,
          Stats.mean(sumDr, sumDr2, n),
          sumW2 > 0 ? sumW * sumW / sumW2 : 0,
          (double) matches / n);
    }
  }
}
