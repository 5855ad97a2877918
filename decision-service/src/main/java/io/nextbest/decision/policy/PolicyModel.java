package io.nextbest.decision.policy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models in force: one posterior per arm that has data. A campaign without data starts from the
 * "none" arm's weights (no uplift) with the prior's uncertainty, so a new campaign is explored.
 */
public final class PolicyModel {
  private final long version;
  private final double lambda;
  private final Posterior none;
  private final double[] noneMean;
  private final Map<String, LinearArm> stats;
  private final Map<String, Posterior> posteriors = new ConcurrentHashMap<>();

  /**
   * @param version model version, bumped by every learning step
   * @param stats sufficient statistics per arm id ({@link ThompsonPolicy#NONE} for no campaign)
   * @param lambda ridge prior precision
   */
  public PolicyModel(long version, Map<String, LinearArm> stats, double lambda) {
    this.version = version;
    this.lambda = lambda;
    this.stats = Map.copyOf(stats);
    LinearArm noneStats =
        stats.getOrDefault(ThompsonPolicy.NONE, new LinearArm(FeatureEncoder.DIMENSION));
    this.none = noneStats.posterior(lambda);
    this.noneMean = none.mean();
  }

  public static PolicyModel empty(double lambda) {
    return new PolicyModel(0, Map.of(), lambda);
  }

  public long version() {
    return version;
  }

  public Map<String, LinearArm> stats() {
    return stats;
  }

  /** The posterior of an arm; campaigns are centred on the "none" weights. */
  public Posterior posterior(String armId) {
    if (ThompsonPolicy.NONE.equals(armId)) {
      return none;
    }
    return posteriors.computeIfAbsent(
        armId,
        id ->
            stats
                .getOrDefault(id, new LinearArm(FeatureEncoder.DIMENSION))
                .posterior(lambda, noneMean));
  }
}
