package io.nextbest.models.policy;

import java.util.List;
import java.util.Map;

/**
 * What an unsubscribe or complaint destroys. The customer goes on buying without the channel: what
 * is lost is the part of their remaining value that the channel's contacts add, not all of it. That
 * part is the channel's incremental share, estimated from the rewards already learned: the mean
 * reward of sends on the channel (its attribute pool, net of the unsubscribes they caused) against
 * the mean reward of "none",
 *
 * <pre>share = clamp((mean(sends on channel) − mean(none)) / mean(sends on channel), floor, 1)
 * </pre>
 *
 * <p>once both have {@code minimum} learned decisions, and never below {@code floor}; {@code
 * priorShare} until then. The estimate is a difference of two noisy means and often lands near 0,
 * which would make an unsubscribe nearly free; the floor keeps losing a channel a cost. An
 * unsubscribe then costs {@code remaining value × share}, at most the value ceiling; a customer
 * without a remaining-value prediction costs {@code flat}.
 *
 * @param priorShare the share before enough decisions are learned, 0–1
 * @param minimum learned decisions each side needs before the estimate replaces the prior
 * @param flat the cost without a remaining-value prediction
 * @param floor the least share an estimate gives, 0–1
 */
public record UnsubscribeCost(double priorShare, long minimum, double flat, double floor) {
  public UnsubscribeCost {
    if (!(priorShare >= 0 && priorShare <= 1)) {
      throw new IllegalArgumentException("priorShare must be within [0, 1]");
    }
    if (!(floor >= 0 && floor <= 1)) {
      throw new IllegalArgumentException("floor must be within [0, 1]");
    }
    if (!(flat >= 0) || !Double.isFinite(flat)) {
      throw new IllegalArgumentException("flat must be a finite number >= 0");
    }
  }

  /** The channel among an action's attribute tokens, or null. */
  public static String channel(List<String> tokens) {
    for (String t : tokens) {
      if (t.startsWith(CampaignAttributes.CHANNEL_TOKEN)) {
        return t.substring(CampaignAttributes.CHANNEL_TOKEN.length());
      }
    }
    return null;
  }

  /**
   * The channel's incremental share of a customer's value, from learned statistics keyed as in
   * {@link PolicyModel} with the horizon's {@code prefix}; {@code intercept} is the index of the
   * constant feature.
   */
  public double share(Map<String, LinearArm> stats, String prefix, String channel, int intercept) {
    if (channel == null || intercept < 0) {
      return priorShare;
    }
    LinearArm sends =
        stats.get(PolicyModel.POOL + prefix + CampaignAttributes.CHANNEL_TOKEN + channel);
    LinearArm none = stats.get(prefix + ThompsonPolicy.NONE);
    if (sends == null
        || none == null
        || sends.count() < Math.max(1, minimum)
        || none.count() < Math.max(1, minimum)) {
      return priorShare;
    }
    double sent = sends.meanReward(intercept);
    double without = none.meanReward(intercept);
    if (!Double.isFinite(sent) || !Double.isFinite(without) || sent <= 0) {
      return priorShare;
    }
    return Math.max(floor, Math.min(1, (sent - without) / sent));
  }

  /**
   * The cost of one unsubscribe: {@code remaining × share}, or {@code flat}; at most {@code
   * ceiling}.
   */
  public double cost(Double remaining, double share, double ceiling) {
    double c =
        remaining != null && Double.isFinite(remaining) && remaining >= 0
            ? remaining * share
            : flat;
    return Math.min(c, ceiling);
  }
}
