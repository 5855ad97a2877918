package io.nextbest.models.policy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models in force, in three levels. The base ({@value #BASE}) learns what a customer is worth
 * over the horizon from every decision, whatever was done: most of a reward is organic value, and
 * every decision tells about it. Each attribute pool ({@code attr:<token>}, every campaign that has
 * the attribute) and "none" deviate from the base, and each campaign deviates from the mean of its
 * attributes' pools (from the base when it has none), each deviation under a ridge prior of
 * strength {@code armPrior} (as many pseudo-observations). Arms thus differ by what their own data
 * show beyond the shared value, so the noise of organic purchases is paid once, not per arm; a new
 * campaign starts from the campaigns it resembles, one without similar campaigns from the base: no
 * uplift until the data say so.
 */
public final class PolicyModel {
  /** Prefix of the pooled statistics of a campaign attribute. */
  public static final String POOL = "attr:";

  /** Id of the statistics of every decision. */
  public static final String BASE = "base";

  private final long version;
  private final double lambda;
  private final double[] armPrior;
  private final int dimension;
  private final Map<String, LinearArm> stats;
  private final Map<String, Posterior> posteriors = new ConcurrentHashMap<>();

  /**
   * @param version model version, bumped by every learning step
   * @param stats sufficient statistics per arm id ({@link ThompsonPolicy#NONE} for no campaign),
   *     per attribute pool and of the base
   * @param lambda ridge prior precision of the base
   * @param armPrior ridge prior precision, per feature, of an arm's or pool's deviation from its
   *     prior centre
   */
  public PolicyModel(long version, Map<String, LinearArm> stats, double lambda, double[] armPrior) {
    this.version = version;
    this.lambda = lambda;
    this.armPrior = armPrior.clone();
    this.dimension = armPrior.length;
    this.stats = Map.copyOf(stats);
  }

  public static PolicyModel empty(double lambda, double[] armPrior) {
    return new PolicyModel(0, Map.of(), lambda, armPrior);
  }

  /** The same prior precision for every feature. */
  public static double[] uniform(double precision, int dimension) {
    double[] p = new double[dimension];
    java.util.Arrays.fill(p, precision);
    return p;
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

  /**
   * The posterior of an arm whose campaign has these attribute tokens. Arms of the journey horizon
   * ({@code long:} ids and tokens) have a base of their own.
   */
  public Posterior posterior(String armId, List<String> tokens) {
    String key = tokens.isEmpty() ? armId : armId + "\u0000" + String.join("\u0000", tokens);
    Posterior p = posteriors.get(key);
    if (p == null) {
      // fitted outside the map: the prior itself fits (and caches) the pools' posteriors
      String prefix = armId.startsWith(DecisionPolicy.LONG) ? DecisionPolicy.LONG : "";
      boolean none = armId.equals(prefix + ThompsonPolicy.NONE);
      double[] centre = none ? base(prefix) : prior(prefix, tokens);
      p = arm(armId).posterior(armPrior, centre);
      if (posteriors.size() < maxCached()) {
        Posterior raced = posteriors.putIfAbsent(key, p);
        p = raced == null ? p : raced;
      }
    }
    return p;
  }

  /**
   * Posteriors kept at most: two per model (an arm's own and one per attribute set it is asked
   * with) and a margin. A request naming attribute sets the model has no data for beyond it gets
   * its posterior computed, not kept, so callers cannot grow the cache.
   */
  private int maxCached() {
    return 2 * stats.size() + 16;
  }

  private LinearArm arm(String id) {
    return stats.getOrDefault(id, new LinearArm(dimension));
  }

  /** Posterior mean of the base of a horizon. */
  private double[] base(String prefix) {
    String id = prefix + BASE;
    Posterior p = posteriors.get(id);
    if (p == null) {
      p = arm(id).posterior(lambda);
      posteriors.putIfAbsent(id, p);
    }
    return p.mean();
  }

  /** Mean of the pooled posteriors of the tokens that have data; the base when none has. */
  double[] prior(String prefix, List<String> tokens) {
    double[] base = base(prefix);
    double[] sum = new double[dimension];
    int pools = 0;
    for (String t : tokens) {
      String id = POOL + t;
      LinearArm pool = stats.get(id);
      if (pool == null || pool.count() == 0) {
        continue;
      }
      Posterior p = posteriors.get(id);
      if (p == null) {
        p = pool.posterior(armPrior, base);
        posteriors.putIfAbsent(id, p);
      }
      double[] m = p.mean();
      for (int i = 0; i < dimension; i++) {
        sum[i] += m[i];
      }
      pools++;
    }
    if (pools == 0) {
      return base;
    }
    for (int i = 0; i < dimension; i++) {
      sum[i] /= pools;
    }
    return sum;
  }
}
