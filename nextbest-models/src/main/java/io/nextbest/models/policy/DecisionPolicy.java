package io.nextbest.models.policy;

import io.nextbest.events.Moment.EligibleCampaign;
import io.nextbest.models.policy.ThompsonPolicy.ArmValue;
import io.nextbest.models.policy.ThompsonPolicy.Choice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The decision rule around the bandit: manual-priority campaigns are allocated before auto ones;
 * auto campaigns and "none" are arbitrated by Thompson sampling on incremental value. A campaign
 * that opens a journey is valued by what it adds over "none" on the longer journey horizon, where
 * the follow-ups it unlocks have earned their share (learned, not assumed). In apprentice mode the
 * marketer's order decides, with a little uniform exploration and a small share of the decisions
 * drawn from the live policy, so the model's value can be estimated off-policy with bounded weights
 * (a canary share); the model's own top choice is recorded with every decision.
 */
public final class DecisionPolicy {
  /** Who decides. */
  public enum Mode {
    /** Manual priority decides, the model runs in shadow. */
    APPRENTICE,
    /**
     * Live mode's learning phase: decided as in apprentice mode (manual priority with the live
     * policy's canary share) until the model has shown, off-policy, that it does at least as well
     * as manual priority; a model without that evidence never takes every decision.
     */
    LEARNING,
    /** The model decides among auto campaigns. */
    LIVE
  }

  /** Prefix of the arm models learned on the journey horizon. */
  public static final String LONG = "long:";

  /** A follow-up campaign a campaign unlocks, {@code afterDays} later. */
  public record FollowUp(String campaignId, int afterDays) {}

  /** What the policy knows of the campaigns beyond the moment. */
  public interface Campaigns {
    /** Follow-ups unlocked by sending {@code campaignId}. */
    List<FollowUp> followUps(String campaignId);
  }

  /**
   * Tuning.
   *
   * @param epsilon uniform exploration of the live policy
   * @param apprenticeEpsilon uniform exploration around manual priority in apprentice mode
   * @param nodes quadrature nodes of the propensity integral
   * @param temperature scale of the posterior spread the live policy draws from (see {@link
   *     ThompsonPolicy#ThompsonPolicy(double, int, double)})
   * @param apprenticeModelShare share of apprentice decisions drawn from the live policy (0: none)
   */
  public record Settings(
      double epsilon,
      double apprenticeEpsilon,
      int nodes,
      double temperature,
      double apprenticeModelShare) {
    public Settings {
      if (!(apprenticeModelShare >= 0 && apprenticeModelShare <= 1)) {
        throw new IllegalArgumentException("apprenticeModelShare must be within [0, 1]");
      }
    }

    /** Plain Thompson sampling (temperature 1), apprentice mode without a model share. */
    public Settings(double epsilon, double apprenticeEpsilon, int nodes) {
      this(epsilon, apprenticeEpsilon, nodes, 1, 0);
    }
  }

  /**
   * One action the policy may take: a campaign with its context vector and attribute tokens.
   *
   * @param campaign the eligible campaign
   * @param x the full context vector of this action
   * @param tokens attribute tokens pooling its statistics with similar campaigns
   */
  public record Arm(EligibleCampaign campaign, double[] x, List<String> tokens) {
    public String id() {
      return campaign.campaignId();
    }
  }

  /**
   * A choice with what explains it.
   *
   * @param campaign the chosen campaign, empty for none
   * @param propensity probability of this action under the policy that decided
   * @param rule which rule decided: manual, thompson, apprentice, learning (live mode's learning
   *     phase), none
   * @param upliftMean expected incremental value over none
   * @param upliftSd its standard deviation
   * @param runnerUp best other action (campaign id or "none"), null when there was no other
   * @param runnerUpUplift its expected incremental value
   * @param shadow the model's choice in apprentice mode (campaign id or "none"), else null
   * @param probabilities probability of every action under the deciding policy
   * @param explored the action came from the exploration share (the live policy's uniform ε, or in
   *     apprentice mode anything but the marketer's top rank)
   */
  public record Result(
      Optional<EligibleCampaign> campaign,
      double propensity,
      String rule,
      double upliftMean,
      double upliftSd,
      String runnerUp,
      double runnerUpUplift,
      String shadow,
      Map<String, Double> probabilities,
      boolean explored) {
    /** A result that did not explore. */
    public Result(
        Optional<EligibleCampaign> campaign,
        double propensity,
        String rule,
        double upliftMean,
        double upliftSd,
        String runnerUp,
        double runnerUpUplift,
        String shadow,
        Map<String, Double> probabilities) {
      this(
          campaign,
          propensity,
          rule,
          upliftMean,
          upliftSd,
          runnerUp,
          runnerUpUplift,
          shadow,
          probabilities,
          false);
    }
  }

  private final Settings settings;
  private final ThompsonPolicy live;

  public DecisionPolicy(Settings settings) {
    this.settings = settings;
    this.live = new ThompsonPolicy(settings.epsilon(), settings.nodes(), settings.temperature());
  }

  public Settings settings() {
    return settings;
  }

  /**
   * The marketer's order among the candidates: the prioritised ones, highest priority first; equal
   * priorities are one rank (chosen between at random, never by name). Candidates without a
   * priority are not part of it.
   */
  public static List<List<EligibleCampaign>> manualRanks(List<EligibleCampaign> candidates) {
    java.util.TreeMap<Integer, List<EligibleCampaign>> byPriority =
        new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
    for (EligibleCampaign c : candidates) {
      if (c.priority() != null) {
        byPriority.computeIfAbsent(c.priority(), k -> new ArrayList<>()).add(c);
      }
    }
    return List.copyOf(byPriority.values());
  }

  /**
   * Manual priority's probability of every action: the top rank shared evenly; without any
   * priority, no order exists to imitate and every action (campaigns and none) is equally likely;
   * {@code epsilon} of the mass spread uniformly over all actions.
   */
  public static Map<String, Double> manualProbabilities(
      List<EligibleCampaign> candidates, double epsilon) {
    Map<String, Double> p = new LinkedHashMap<>();
    int k = candidates.size() + 1;
    p.put(ThompsonPolicy.NONE, epsilon / k);
    candidates.forEach(c -> p.put(c.campaignId(), epsilon / k));
    List<List<EligibleCampaign>> ranks = manualRanks(candidates);
    if (ranks.isEmpty()) {
      p.replaceAll((id, v) -> 1.0 / k);
      return p;
    }
    List<EligibleCampaign> top = ranks.get(0);
    for (EligibleCampaign c : top) {
      p.merge(c.campaignId(), (1 - epsilon) / top.size(), Double::sum);
    }
    return p;
  }

  /**
   * Decides among {@code arms} and "none".
   *
   * @param none the context vector of "none"
   * @param seed per decision, so a replayed decision is reproduced exactly
   */
  public Result decide(
      double[] none, List<Arm> arms, PolicyModel model, Mode mode, Campaigns campaigns, long seed) {
    return decide(none, arms, model, mode, campaigns, seed, settings.apprenticeModelShare());
  }

  /**
   * Decides among {@code arms} and "none", apprentice decisions drawing {@code modelShare} of their
   * mass from the live policy (the canary share in force, which grows with the model's evidence).
   */
  public Result decide(
      double[] none,
      List<Arm> arms,
      PolicyModel model,
      Mode mode,
      Campaigns campaigns,
      long seed,
      double modelShare) {
    if (!(modelShare >= 0 && modelShare <= 1)) {
      throw new IllegalArgumentException("modelShare must be within [0, 1]");
    }
    if (arms.isEmpty()) {
      return new Result(
          Optional.empty(), 1, "none", 0, 0, null, 0, null, Map.of(ThompsonPolicy.NONE, 1.0));
    }
    SplittableRandom random = new SplittableRandom(seed);
    ArmValue noneValue = noneValue(none, model);
    if (mode != Mode.LIVE) {
      return apprentice(
          none,
          arms,
          model,
          campaigns,
          noneValue,
          random,
          mode == Mode.LEARNING ? "learning" : "apprentice",
          modelShare);
    }
    List<EligibleCampaign> candidates = arms.stream().map(Arm::campaign).toList();
    List<List<EligibleCampaign>> ranks = manualRanks(candidates);
    List<Arm> auto = arms.stream().filter(a -> a.campaign().priority() == null).toList();
    List<ArmValue> values = values(auto, none, model, campaigns, noneValue);
    if (!ranks.isEmpty()) {
      List<EligibleCampaign> top = ranks.get(0);
      EligibleCampaign chosen = top.get(random.nextInt(top.size()));
      Arm arm = arms.stream().filter(a -> a.campaign() == chosen).findFirst().orElseThrow();
      ArmValue v = value(arm, none, model, campaigns, noneValue);
      Choice best = ThompsonPolicy.greedy(noneValue, values);
      return new Result(
          Optional.of(chosen),
          1.0 / top.size(),
          "manual",
          v.mean() - noneValue.mean(),
          Math.hypot(v.sd(), noneValue.sd()),
          best.armId(),
          best.upliftMean(),
          null,
          Map.of(chosen.campaignId(), 1.0 / top.size()));
    }
    Choice choice = live.choose(noneValue, values, random);
    Optional<EligibleCampaign> campaign =
        auto.stream()
            .map(Arm::campaign)
            .filter(c -> c.campaignId().equals(choice.armId()))
            .findFirst();
    return new Result(
        campaign,
        choice.propensity(),
        "thompson",
        choice.upliftMean(),
        choice.upliftSd(),
        choice.runnerUp(),
        choice.runnerUpUplift(),
        null,
        choice.probabilities(),
        choice.explored());
  }

  private Result apprentice(
      double[] none,
      List<Arm> arms,
      PolicyModel model,
      Campaigns campaigns,
      ArmValue noneValue,
      SplittableRandom random,
      String rule,
      double modelShare) {
    List<ArmValue> values = values(arms, none, model, campaigns, noneValue);
    Choice shadowChoice = ThompsonPolicy.greedy(noneValue, values);
    List<EligibleCampaign> candidates = arms.stream().map(Arm::campaign).toList();
    Map<String, Double> probabilities =
        apprenticeProbabilities(candidates, noneValue, values, modelShare);
    // draw an action from the probabilities, in a fixed order
    double u = random.nextDouble();
    String armId = ThompsonPolicy.NONE;
    double cumulative = 0;
    for (var e : probabilities.entrySet()) {
      cumulative += e.getValue();
      armId = e.getKey();
      if (u < cumulative) {
        break;
      }
    }
    String chosenId = armId;
    int chosen = -1;
    for (int i = 0; i < arms.size(); i++) {
      if (arms.get(i).id().equals(chosenId)) {
        chosen = i;
      }
    }
    ArmValue picked = chosen < 0 ? noneValue : values.get(chosen);
    ArmValue runner = chosen >= 0 ? noneValue : null;
    for (ArmValue v : values) {
      if (!v.armId().equals(chosenId) && (runner == null || v.mean() > runner.mean())) {
        runner = v;
      }
    }
    return new Result(
        chosen < 0 ? Optional.empty() : Optional.of(arms.get(chosen).campaign()),
        probabilities.get(chosenId),
        rule,
        picked.mean() - noneValue.mean(),
        chosen < 0 ? 0 : Math.hypot(picked.sd(), noneValue.sd()),
        runner == null ? null : runner.armId(),
        runner == null ? 0 : runner.mean() - noneValue.mean(),
        shadowChoice.armId(),
        probabilities);
  }

  /**
   * The apprentice policy: manual priority (with its uniform exploration) and, with probability
   * {@code share}, the live policy's draw — what the live policy would do, so the model's value is
   * estimated from decisions it made itself rather than from the rare uniform ones.
   */
  private Map<String, Double> apprenticeProbabilities(
      List<EligibleCampaign> candidates, ArmValue noneValue, List<ArmValue> values, double share) {
    Map<String, Double> p = manualProbabilities(candidates, settings.apprenticeEpsilon());
    if (share <= 0) {
      return p;
    }
    Map<String, Double> live = liveProbabilities(candidates, noneValue, values);
    p.replaceAll((id, v) -> (1 - share) * v + share * live.getOrDefault(id, 0.0));
    return p;
  }

  /**
   * The live policy's probability of every action: the marketer's top rank when any candidate is
   * prioritised, else Thompson sampling over the candidates' values and "none".
   */
  private Map<String, Double> liveProbabilities(
      List<EligibleCampaign> candidates, ArmValue noneValue, List<ArmValue> values) {
    List<List<EligibleCampaign>> ranks = manualRanks(candidates);
    if (!ranks.isEmpty()) {
      Map<String, Double> p = new LinkedHashMap<>();
      ranks.get(0).forEach(c -> p.put(c.campaignId(), 1.0 / ranks.get(0).size()));
      return p;
    }
    return live.probabilities(noneValue, values);
  }

  /**
   * Probability of every action (campaign ids and "none") under a target policy, for off-policy
   * evaluation of logged decisions: model (the live bandit with exploration {@code epsilon}),
   * greedy (the model's best expected value), manual (the marketer's order with {@code epsilon}),
   * random.
   */
  public Map<String, Double> probabilities(
      String target,
      double epsilon,
      double[] none,
      List<Arm> arms,
      PolicyModel model,
      Campaigns campaigns) {
    Map<String, Double> p = new LinkedHashMap<>();
    if (arms.isEmpty()) {
      p.put(ThompsonPolicy.NONE, 1.0);
      return p;
    }
    List<EligibleCampaign> candidates = arms.stream().map(Arm::campaign).toList();
    int k = candidates.size() + 1;
    switch (target) {
      case "random" -> {
        p.put(ThompsonPolicy.NONE, 1.0 / k);
        candidates.forEach(c -> p.put(c.campaignId(), 1.0 / k));
      }
      case "manual" -> p.putAll(manualProbabilities(candidates, epsilon));
      case "model", "greedy" -> {
        List<List<EligibleCampaign>> ranks = manualRanks(candidates);
        if (!ranks.isEmpty()) {
          ranks.get(0).forEach(c -> p.put(c.campaignId(), 1.0 / ranks.get(0).size()));
          return p;
        }
        ArmValue noneValue = noneValue(none, model);
        List<ArmValue> values = values(arms, none, model, campaigns, noneValue);
        p.putAll(
            "greedy".equals(target)
                ? ThompsonPolicy.greedy(noneValue, values).probabilities()
                : new ThompsonPolicy(epsilon, settings.nodes(), settings.temperature())
                    .probabilities(noneValue, values));
      }
      default -> throw new IllegalArgumentException("unknown policy " + target);
    }
    return p;
  }

  /** Expected value of every action under the model (the reward model of doubly-robust OPE). */
  public static Map<String, Double> expectedValues(
      double[] none, List<Arm> arms, PolicyModel model) {
    Map<String, Double> q = new LinkedHashMap<>();
    q.put(ThompsonPolicy.NONE, model.posterior(ThompsonPolicy.NONE).predictMean(none));
    for (Arm a : arms) {
      q.put(a.id(), model.posterior(a.id(), a.tokens()).predictMean(a.x()));
    }
    return q;
  }

  private static ArmValue noneValue(double[] none, PolicyModel model) {
    Posterior p = model.posterior(ThompsonPolicy.NONE);
    return new ArmValue(ThompsonPolicy.NONE, p.predictMean(none), p.predictSd(none));
  }

  private static List<ArmValue> values(
      List<Arm> arms, double[] none, PolicyModel model, Campaigns campaigns, ArmValue noneValue) {
    List<ArmValue> values = new ArrayList<>(arms.size());
    for (Arm a : arms) {
      values.add(value(a, none, model, campaigns, noneValue));
    }
    return values;
  }

  /**
   * Value of one arm: its expected reward on the decision horizon; for a campaign that opens a
   * journey, "none"'s value plus the campaign's uplift over "none" on the journey horizon, whose
   * rewards include what the follow-ups it unlocked earned (discounted by their delay).
   */
  static ArmValue value(
      Arm arm, double[] none, PolicyModel model, Campaigns campaigns, ArmValue noneValue) {
    if (!campaigns.followUps(arm.id()).isEmpty()) {
      Posterior journey = model.posterior(LONG + arm.id(), prefixed(arm.tokens()));
      Posterior noneJourney = model.posterior(LONG + ThompsonPolicy.NONE);
      double uplift = journey.predictMean(arm.x()) - noneJourney.predictMean(none);
      double sd = Math.hypot(journey.predictSd(arm.x()), noneJourney.predictSd(none));
      return new ArmValue(arm.id(), noneValue.mean() + uplift, sd);
    }
    Posterior p = model.posterior(arm.id(), arm.tokens());
    return new ArmValue(arm.id(), p.predictMean(arm.x()), p.predictSd(arm.x()));
  }

  private static List<String> prefixed(List<String> tokens) {
    return tokens.stream().map(t -> LONG + t).toList();
  }
}
