package io.nextbest.decision.policy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models in force: one posterior per arm that has data, and one per campaign attribute ({@code
 * attr:<token>}, pooled over every campaign that has it). A campaign's prior is centred on the mean
 * of its attributes' pooled posteriors (each of them centred on "none"), so a new campaign starts
 * from the campaigns it resembles, and one without similar campaigns from "none": no uplift until
 * the data say so.
 */
public final class PolicyModel {
  /** Prefix of the pooled statistics of a campaign attribute. */
  public static final String POOL = "attr:";

  private final long version;
  private final double lambda;
  private final int dimension;
  private final Posterior none;
  private final double[] noneMean;
  private final Map<String, LinearArm> stats;
  private final Map<String, Posterior> posteriors = new ConcurrentHashMap<>();

  /**
   * @param version model version, bumped by every learning step
   * @param stats sufficient statistics per arm id ({@link ThompsonPolicy#NONE} for no campaign) and
   *     per attribute pool
   * @param lambda ridge prior precision
   * @param dimension length of the context vectors
   */
  public PolicyModel(long version, Map<String, LinearArm> stats, double lambda, int dimension) {
    this.version = version;
    this.lambda = lambda;
    this.dimension = dimension;
    this.stats = Map.copyOf(stats);
    this.none = stats.getOrDefault(ThompsonPolicy.NONE, new LinearArm(dimension)).posterior(lambda);
    this.noneMean = none.mean();
  }

  public static PolicyModel empty(double lambda, int dimension) {
    return new PolicyModel(0, Map.of(), lambda, dimension);
  }

  public long version() {
    return version;
  }

  public int dimension() {
    return dimension;
  }

  public Map<String, LinearArm> stats() {
    return stats;
  }

  /** Observations of an arm (0 when it has none). */
  public long observations(String armId) {
    LinearArm a = stats.get(armId);
    return a == null ? 0 : a.count();
  }

  /** The posterior of "none", or of a campaign without attributes. */
  public Posterior posterior(String armId) {
    return posterior(armId, List.of());
  }

  /** The posterior of an arm whose campaign has these attribute tokens. */
  public Posterior posterior(String armId, List<String> tokens) {
    if (ThompsonPolicy.NONE.equals(armId)) {
      return none;
    }
    String key = tokens.isEmpty() ? armId : armId + "\u0000" + String.join("\u0000", tokens);
    Posterior p = posteriors.get(key);
    if (p == null) {
      // fitted outside the map: the prior itself fits (and caches) the pools' posteriors
      p = stats.getOrDefault(armId, new LinearArm(dimension)).posterior(lambda, prior(tokens));
      Posterior raced = posteriors.putIfAbsent(key, p);
      p = raced == null ? p : raced;
    }
    return p;
  }

  /** Mean of the pooled posteriors of the tokens that have data; "none" when none has. */
  double[] prior(List<String> tokens) {
    double[] sum = new double[dimension];
    int pools = 0;
    for (String t : tokens) {
      LinearArm pool = stats.get(POOL + t);
      if (pool == null || pool.count() == 0) {
        continue;
      }
      double[] m =
          posteriors.computeIfAbsent(POOL + t, k -> pool.posterior(lambda, noneMean)).mean();
      for (int i = 0; i < dimension; i++) {
        sum[i] += m[i];
      }
      pools++;
    }
    if (pools == 0) {
      return noneMean;
    }
    for (int i = 0; i < dimension; i++) {
      sum[i] /= pools;
    }
    return sum;
  }
}
