package io.nextbest.decision.report;

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
   */
  public record Estimates(
      int n,
      Stats.Interval ips,
      Stats.Interval snips,
      Stats.Interval doublyRobust,
      double effectiveSampleSize,
      double matchRate) {}

  public static Estimates estimate(List<Sample> samples) {
    int n = samples.size();
    if (n == 0) {
      Stats.Interval zero = Stats.Interval.of(0, 0);
      return new Estimates(0, zero, zero, zero, 0, 0);
    }
    double[] ips = new double[n];
    double[] dr = new double[n];
    double[] w = new double[n];
    double sumW = 0;
    double sumW2 = 0;
    double sumWR = 0;
    int matches = 0;
    for (int i = 0; i < n; i++) {
      Sample s = samples.get(i);
      double pi = s.target().getOrDefault(s.action(), 0.0);
      w[i] = s.propensity() > 0 ? pi / s.propensity() : 0;
      ips[i] = w[i] * s.reward();
      double direct = 0;
      for (var e : s.target().entrySet()) {
        direct += e.getValue() * s.predicted().getOrDefault(e.getKey(), 0.0);
      }
      dr[i] = direct + w[i] * (s.reward() - s.predicted().getOrDefault(s.action(), 0.0));
      sumW += w[i];
      sumW2 += w[i] * w[i];
      sumWR += ips[i];
      String top = null;
      double best = -1;
      for (var e : s.target().entrySet()) {
        if (e.getValue() > best) {
          best = e.getValue();
          top = e.getKey();
        }
      }
      if (s.action().equals(top)) {
        matches++;
      }
    }
    Stats.Interval snips;
    if (sumW > 0) {
      double v = sumWR / sumW;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        ss += Math.pow(w[i] * (samples.get(i).reward() - v), 2);
      }
      snips = Stats.Interval.of(v, Math.sqrt(ss) / sumW);
    } else {
      snips = Stats.Interval.of(0, 0);
    }
    return new Estimates(
        n,
        meanInterval(ips),
        snips,
        meanInterval(dr),
        sumW2 > 0 ? sumW * sumW / sumW2 : 0,
        (double) matches / n);
  }

  static Stats.Interval meanInterval(double[] terms) {
    double sum = 0;
    double sq = 0;
    for (double t : terms) {
      sum += t;
      sq += t * t;
    }
    return Stats.mean(sum, sq, terms.length);
  }
}
