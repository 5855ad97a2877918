package io.nextbest.models.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Thompson sampling over Bayesian linear reward models, one per campaign plus one for "none", mixed
 * with ε-uniform exploration. An arm's value is its expected reward in the attribution window plus
 * any journey bonus; the choice maximizes the sampled value, so it maximizes the sampled
 * incremental value over "none". The propensity of the chosen action (needed by off-policy
 * evaluation) is {@code (1−ε)·P(arm wins a Thompson draw) + ε/(K+1)}, the first factor computed by
 * numerical integration (see {@link #winProbability}), so a replayed decision reproduces it.
 */
public final class ThompsonPolicy {
  /** Arm id of "send nothing". */
  public static final String NONE = "none";

  private static final double RANGE = 8;
  private static final int MAX_NODES_FACTOR = 16;
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
  private final double epsilon;
  private final int nodes;
  private final double temperature;

  /**
   * @param epsilon share of uniformly random choices, in [0, 1)
   * @param nodes quadrature nodes of the propensity integral
   */
  public ThompsonPolicy(double epsilon, int nodes) {
    this(epsilon, nodes, 1);
  }

  /**
   * @param epsilon share of uniformly random choices, in [0, 1)
   * @param nodes quadrature nodes of the propensity integral
   * @param temperature scale of the posterior standard deviations the draws are taken from, in [0,
   *     1]: 1 is plain Thompson sampling; below 1 the posterior is tempered, so arms are tried in
   *     proportion to their uncertainty but less often (0 is greedy, with {@code epsilon} as the
   *     only exploration). Where a reward's noise is ten times the differences between actions,
   *     every draw of an untempered posterior is mostly noise.
   */
  public ThompsonPolicy(double epsilon, int nodes, double temperature) {
    if (!(temperature >= 0 && temperature <= 1)) {
      throw new IllegalArgumentException("temperature must be in [0, 1]");
    }
    this.temperature = temperature;
    if (epsilon < 0 || epsilon >= 1) {
      throw new IllegalArgumentException("epsilon must be in [0, 1)");
    }
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be positive");
    }
    this.epsilon = epsilon;
    this.nodes = nodes;
  }

  public double epsilon() {
    return epsilon;
  }

  /**
   * Predicted value of one arm at the customer's context.
   *
   * @param armId campaign id, or {@link #NONE}
   * @param mean expected reward (including the journey bonus)
   * @param sd its posterior standard deviation
   */
  public record ArmValue(String armId, double mean, double sd) {}

  /**
   * A choice.
   *
   * @param armId the chosen campaign, or {@link #NONE}
   * @param propensity probability the policy takes this action for this context
   * @param upliftMean expected value of the choice minus that of "none"
   * @param upliftSd its standard deviation
   * @param runnerUp the best other action by expected uplift, or null when there is none
   * @param runnerUpUplift its expected uplift
   * @param probabilities probability of every action under the policy
   * @param explored the action came from the uniform exploration share, not from the draw
   */
  public record Choice(
      String armId,
      double propensity,
      double upliftMean,
      double upliftSd,
      String runnerUp,
      double runnerUpUplift,
      Map<String, Double> probabilities,
      boolean explored) {}

  /**
   * Chooses among {@code candidates} and "none".
   *
   * @param none value of sending nothing
   * @param candidates values of the eligible campaigns
   * @param random generator seeded from the decision id
   */
  public Choice choose(ArmValue none, List<ArmValue> candidates, SplittableRandom random) {
    List<ArmValue> arms = new ArrayList<>(candidates.size() + 1);
    arms.add(none);
    arms.addAll(candidates);
    int k = arms.size();
    List<ArmValue> tempered = tempered(arms);
    int sampled = thompsonDraw(tempered, random);
    boolean explored = random.nextDouble() < epsilon;
    int chosen = explored ? random.nextInt(k) : sampled;
    double propensity = (1 - epsilon) * winProbability(tempered, chosen) + epsilon / k;
    return describe(arms, chosen, Map.of(arms.get(chosen).armId(), propensity), explored);
  }

  /** Probability of every action under this policy (for off-policy evaluation). */
  public Map<String, Double> probabilities(ArmValue none, List<ArmValue> candidates) {
    List<ArmValue> arms = new ArrayList<>(candidates.size() + 1);
    arms.add(none);
    arms.addAll(candidates);
    int k = arms.size();
    List<ArmValue> tempered = tempered(arms);
    Map<String, Double> p = new LinkedHashMap<>();
    for (int i = 0; i < k; i++) {
      p.merge(
          arms.get(i).armId(),
          (1 - epsilon) * winProbability(tempered, i) + epsilon / k,
          Double::sum);
    }
    return p;
  }

  /** The arms with the standard deviations the draws are taken from. */
  private List<ArmValue> tempered(List<ArmValue> arms) {
    if (temperature == 1) {
      return arms;
    }
    List<ArmValue> out = new ArrayList<>(arms.size());
    for (ArmValue a : arms) {
      out.add(new ArmValue(a.armId(), a.mean(), a.sd() * temperature));
    }
    return out;
  }

  /**
   * Probability that arm {@code i} has the highest draw: {@code ∫ φ_i(t) Π_{j≠i} Φ_j(t) dt}, by
   * Simpson's rule. Only where the product can be anything but 0 or 1 is it sampled: below the
   * highest floor of any arm (8 standard deviations under its mean) some arm surely draws higher,
   * and above the highest ceiling of the others every other arm surely draws lower, so that stretch
   * is the upper tail of arm {@code i}'s own distribution. Within that range an uncertain rival is
   * a factor only up to its own ceiling (above it, it surely draws lower), and a sure arm (no
   * spread) is a step, so the range is cut at every rival's ceiling and every sure arm and each
   * piece is integrated over the rivals still in play there. A piece's step is 16/nodes of the
   * narrowest spread in play (arm {@code i}'s own included), so an arm far surer than arm {@code i}
   * is sampled finely where it matters and nowhere else (at most {@value #MAX_NODES_FACTOR}×nodes
   * points in all); with 64 nodes the result is within about 1e-5 of the exact integral even when
   * spreads differ a hundredfold.
   */
  double winProbability(List<ArmValue> arms, int i) {
    ArmValue a = arms.get(i);
    double floor = Double.NEGATIVE_INFINITY;
    double ceiling = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < arms.size(); j++) {
      ArmValue o = arms.get(j);
      floor = Math.max(floor, o.mean() - RANGE * o.sd());
      if (j != i) {
        ceiling = Math.max(ceiling, o.mean() + RANGE * o.sd());
      }
    }
    if (a.mean() + RANGE * a.sd() < floor) {
      return 0;
    }
    if (a.sd() <= 0) {
      return beatsAll(arms, i, a.mean());
    }
    double lo = Math.max(a.mean() - RANGE * a.sd(), floor);
    double hi = Math.max(lo, Math.min(a.mean() + RANGE * a.sd(), ceiling));
    double tail = 1 - Gaussian.cdf((hi - a.mean()) / a.sd());
    if (hi == lo) {
      return tail;
    }
    // the uncertain rivals in play somewhere in [lo, hi], by descending ceiling, and the cuts: lo,
    // hi, each rival's ceiling and each sure arm inside the range
    Competitors rivals = new Competitors(arms.size());
    double[] cuts = new double[2 * arms.size() + 2];
    int c = 0;
    cuts[c++] = lo;
    for (int j = 0; j < arms.size(); j++) {
      ArmValue o = arms.get(j);
      double top = o.mean() + RANGE * o.sd();
      if (j != i && top > lo) {
        if (o.sd() > 0) {
          rivals.add(o.mean(), o.sd());
        }
        if (top < hi) {
          cuts[c++] = top;
        }
      }
    }
    cuts[c++] = hi;
    Arrays.sort(cuts, 0, c);
    rivals.sortByCeiling();
    int budget = MAX_NODES_FACTOR * nodes;
    double sum = 0;
    for (int k = 0; k + 1 < c; k++) {
      double from = cuts[k];
      double to = cuts[k + 1];
      // every sure arm below this piece is beaten throughout it, every one above never
      if (to > from && sureArmsBelow(arms, i, to)) {
        rivals.inPlayAbove(from);
        double spacing = Math.min(a.sd(), rivals.narrowest()) * 2 * RANGE / nodes;
        double share = (to - from) / (hi - lo);
        int n = (int) Math.min(Math.max(2, budget * share), Math.ceil((to - from) / spacing));
        sum += simpson(a, rivals, from, to, n + (n & 1));
      }
    }
    return sum / a.sd() * INV_SQRT_2PI + tail;
  }

  /**
   * Uncertain rivals of an arm, as arrays for the integration's inner loop, ordered by descending
   * ceiling so the ones in play above a point are a prefix.
   */
  private static final class Competitors {
    private double[] mean;
    private double[] sd;
    private double[] inverseSd;
    private int size;
    private int inPlay;

    Competitors(int capacity) {
      mean = new double[capacity];
      sd = new double[capacity];
      inverseSd = new double[capacity];
    }

    void add(double m, double s) {
      mean[size] = m;
      sd[size] = s;
      inverseSd[size++] = 1 / s;
      inPlay = size;
    }

    void sortByCeiling() {
      Integer[] order = new Integer[size];
      for (int j = 0; j < size; j++) {
        order[j] = j;
      }
      Arrays.sort(order, (x, y) -> Double.compare(ceiling(y), ceiling(x)));
      double[] m = new double[size];
      double[] s = new double[size];
      double[] inv = new double[size];
      for (int j = 0; j < size; j++) {
        m[j] = mean[order[j]];
        s[j] = sd[order[j]];
        inv[j] = inverseSd[order[j]];
      }
      mean = m;
      sd = s;
      inverseSd = inv;
    }

    private double ceiling(int j) {
      return mean[j] + RANGE * sd[j];
    }

    /** Keeps in play only the rivals whose ceiling lies above {@code t}. */
    void inPlayAbove(double t) {
      while (inPlay > 0 && ceiling(inPlay - 1) <= t) {
        inPlay--;
      }
    }

    /** The narrowest spread in play, or infinity when none is. */
    double narrowest() {
      double narrowest = Double.POSITIVE_INFINITY;
      for (int j = 0; j < inPlay; j++) {
        narrowest = Math.min(narrowest, sd[j]);
      }
      return narrowest;
    }

    /** Probability that every rival in play draws below {@code t}. */
    double allBelow(double t) {
      double p = 1;
      for (int j = 0; j < inPlay && p > 0; j++) {
        double z = (t - mean[j]) * inverseSd[j];
        if (z < RANGE) {
          p *= z < -RANGE ? 0 : Gaussian.cdf(z);
        }
      }
      return p;
    }
  }

  /** Whether every other sure arm lies below {@code t} (the top of an integration piece). */
  private static boolean sureArmsBelow(List<ArmValue> arms, int i, double t) {
    for (int j = 0; j < arms.size(); j++) {
      ArmValue o = arms.get(j);
      if (j != i && o.sd() <= 0 && o.mean() >= t) {
        return false;
      }
    }
    return true;
  }

  /**
   * Simpson's rule for {@code ∫ exp(−z²/2) Π Φ_j(t) dt} over [from, to] in n (even) steps, the
   * product over the uncertain rivals (the sure ones are settled per piece).
   */
  private static double simpson(ArmValue a, Competitors rivals, double from, double to, int n) {
    double h = (to - from) / n;
    double inverseSd = 1 / a.sd();
    double sum = 0;
    for (int k = 0; k <= n; k++) {
      double t = from + k * h;
      double z = (t - a.mean()) * inverseSd;
      double w = k == 0 || k == n ? 1 : (k & 1) == 1 ? 4 : 2;
      sum += w * Math.exp(-z * z / 2) * rivals.allBelow(t);
    }
    return sum * h / 3;
  }

  /** Probability that every other arm draws below {@code t}. */
  private static double beatsAll(List<ArmValue> arms, int i, double t) {
    double p = 1;
    for (int j = 0; j < arms.size() && p > 0; j++) {
      if (j == i) {
        continue;
      }
      ArmValue o = arms.get(j);
      if (o.sd() <= 0) {
        p *= t > o.mean() ? 1 : t == o.mean() ? 0.5 : 0;
        continue;
      }
      double z = (t - o.mean()) / o.sd();
      if (z < RANGE) {
        p *= z < -RANGE ? 0 : Gaussian.cdf(z);
      }
    }
    return p;
  }

  /** The action with the highest expected value, no exploration (propensity 1). */
  public static Choice greedy(ArmValue none, List<ArmValue> candidates) {
    List<ArmValue> arms = new ArrayList<>(candidates.size() + 1);
    arms.add(none);
    arms.addAll(candidates);
    int best = 0;
    for (int i = 1; i < arms.size(); i++) {
      if (arms.get(i).mean() > arms.get(best).mean()) {
        best = i;
      }
    }
    Map<String, Double> probabilities = new LinkedHashMap<>();
    for (ArmValue a : arms) {
      probabilities.put(a.armId(), 0.0);
    }
    probabilities.put(arms.get(best).armId(), 1.0);
    return describe(arms, best, probabilities, false);
  }

  private static Choice describe(
      List<ArmValue> arms, int chosen, Map<String, Double> probabilities, boolean explored) {
    ArmValue none = arms.get(0);
    ArmValue pick = arms.get(chosen);
    int runner = -1;
    for (int i = 0; i < arms.size(); i++) {
      if (i != chosen && (runner < 0 || arms.get(i).mean() > arms.get(runner).mean())) {
        runner = i;
      }
    }
    return new Choice(
        pick.armId(),
        probabilities.get(pick.armId()),
        pick.mean() - none.mean(),
        chosen == 0 ? 0 : Math.hypot(pick.sd(), none.sd()),
        runner < 0 ? null : arms.get(runner).armId(),
        runner < 0 ? 0 : arms.get(runner).mean() - none.mean(),
        probabilities,
        explored);
  }

  private static int thompsonDraw(List<ArmValue> arms, SplittableRandom random) {
    int best = 0;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < arms.size(); i++) {
      ArmValue a = arms.get(i);
      double v = a.mean() + a.sd() * Gaussian.next(random);
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    return best;
  }
}
