package io.nextbest.tools.decision.sim;

import io.nextbest.tools.decision.sim.RandomStreams.Purpose;
import java.util.List;

/** The policies the live system is compared with, each run locally on the same world. */
public final class Baselines {
  private Baselines() {}

  /** Never sends anything: the reference every uplift is measured against. */
  public static LocalPolicy none() {
    return (visit, candidates, market) -> LocalPolicy.NONE;
  }

  /**
   * The marketer's fixed priority: the first campaign of {@code order} the customer may be sent, at
   * every moment.
   */
  public static LocalPolicy manual(List<Integer> order) {
    return (visit, candidates, market) -> {
      for (int campaign : order) {
        if (candidates.contains(campaign)) {
          return campaign;
        }
      }
      return LocalPolicy.NONE;
    };
  }

  /** Uniform over the candidates and none, from its own stream per customer and day. */
  public static LocalPolicy random(RandomStreams streams) {
    return (visit, candidates, market) -> {
      int k =
          streams
              .of(Purpose.RANDOM_POLICY, visit.customer(), visit.day())
              .nextInt(candidates.size() + 1);
      return k == candidates.size() ? LocalPolicy.NONE : candidates.get(k);
    };
  }

  /**
   * The myopic oracle: knows every true effect and picks, at each moment, the action with the
   * largest expected incremental value of this moment alone ({@link Market#expectedValue}); none
   * (worth 0) wins ties.
   */
  public static LocalPolicy oracle() {
    return (visit, candidates, market) -> {
      int best = LocalPolicy.NONE;
      double bestValue = 0;
      for (int campaign : candidates) {
        double v = market.expectedValue(visit, campaign);
        if (v > bestValue) {
          best = campaign;
          bestValue = v;
        }
      }
      return best;
    };
  }
}
