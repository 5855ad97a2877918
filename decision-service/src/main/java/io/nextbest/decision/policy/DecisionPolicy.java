package io.nextbest.decision.policy;

import io.nextbest.decision.policy.ThompsonPolicy.ArmValue;
import io.nextbest.decision.policy.ThompsonPolicy.Choice;
import io.nextbest.events.Moment.EligibleCampaign;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The decision rule around the bandit: manual-priority campaigns are allocated before auto ones;
 * auto campaigns and "none" are arbitrated by Thompson sampling on incremental value, where a
 * campaign that opens a journey also earns the discounted uplift of the follow-ups it unlocks. In
 * apprentice mode manual priority decides (with a little uniform exploration, so the model's value
 * can be estimated off-policy) and the model's own choice is only recorded.
 */
public final class DecisionPolicy {
  /** Who decides. */
  public enum Mode {
    /** Manual priority decides, the model runs in shadow. */
    APPRENTICE,
    /** The model decides among auto campaigns. */
    LIVE
  }

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
   * @param weeklyDiscount discount per week of delay of a follow-up's value
   */
  public record Settings(
      double epsilon, double apprenticeEpsilon, int nodes, double weeklyDiscount) {}

  /**
   * A choice with what explains it.
   *
   * @param campaign the chosen campaign, empty for none
   * @param propensity probability of this action under the policy that decided
   * @param rule which rule decided: manual, thompson, apprentice, none
   * @param upliftMean expected incremental value over none
   * @param upliftSd its standard deviation
   * @param runnerUp best other action (campaign id or "none"), null when there was no other
   * @param runnerUpUplift its expected incremental value
   * @param shadow the model's choice in apprentice mode (campaign id or "none"), else null
   * @param probabilities probability of every action under the deciding policy
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
      Map<String, Double> probabilities) {}

  static final Comparator<EligibleCampaign> MANUAL_ORDER =
      Comparator.comparing(
              (EligibleCampaign c) -> c.priority() == null ? Integer.MIN_VALUE : c.priority())
          .reversed()
          .thenComparing(EligibleCampaign::campaignId);

  /** Manual priority order: highest priority first, auto campaigns last, ties by id. */
  public static Comparator<EligibleCampaign> manualOrder() {
    return MANUAL_ORDER;
  }

  private final Settings settings;
  private final ThompsonPolicy live;

  public DecisionPolicy(Settings settings) {
    this.settings = settings;
    this.live = new ThompsonPolicy(settings.epsilon(), settings.nodes());
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Decides for context {@code x} among {@code candidates}.
   *
   * @param pAlive probability the customer is still active (discounts journey follow-ups)
   * @param seed per decision, so a replayed decision is reproduced exactly
   */
  public Result decide(
      double[] x,
      double pAlive,
      List<EligibleCampaign> candidates,
      PolicyModel model,
      Mode mode,
      Campaigns campaigns,
      long seed) {
    if (candidates.isEmpty()) {
      return new Result(
          Optional.empty(), 1, "none", 0, 0, null, 0, null, Map.of(ThompsonPolicy.NONE, 1.0));
    }
    SplittableRandom random = new SplittableRandom(seed);
    ArmValue none = value(ThompsonPolicy.NONE, x, model, pAlive, campaigns);
    if (mode == Mode.APPRENTICE) {
      return apprentice(x, pAlive, candidates, model, campaigns, none, random);
    }
    List<EligibleCampaign> manual =
        candidates.stream().filter(c -> c.priority() != null).sorted(MANUAL_ORDER).toList();
    List<EligibleCampaign> auto = candidates.stream().filter(c -> c.priority() == null).toList();
    List<ArmValue> values = values(auto, x, model, pAlive, campaigns);
    if (!manual.isEmpty()) {
      EligibleCampaign top = manual.get(0);
      ArmValue v = value(top.campaignId(), x, model, pAlive, campaigns);
      Choice best = ThompsonPolicy.greedy(none, values);
      return new Result(
          Optional.of(top),
          1,
          "manual",
          v.mean() - none.mean(),
          Math.hypot(v.sd(), none.sd()),
          manual.size() > 1 ? manual.get(1).campaignId() : best.armId(),
          manual.size() > 1
              ? value(manual.get(1).campaignId(), x, model, pAlive, campaigns).mean() - none.mean()
              : best.upliftMean(),
          null,
          Map.of(top.campaignId(), 1.0));
    }
    Choice choice = live.choose(none, values, random);
    return thompson(choice, auto);
  }

  private Result apprentice(
      double[] x,
      double pAlive,
      List<EligibleCampaign> candidates,
      PolicyModel model,
      Campaigns campaigns,
      ArmValue none,
      SplittableRandom random) {
    List<EligibleCampaign> ordered = candidates.stream().sorted(MANUAL_ORDER).toList();
    List<ArmValue> values = values(ordered, x, model, pAlive, campaigns);
    Choice shadowChoice = ThompsonPolicy.greedy(none, values);
    double eps = settings.apprenticeEpsilon();
    int k = ordered.size() + 1;
    int chosen = random.nextDouble() < eps ? random.nextInt(k) - 1 : 0; // -1 = none
    Map<String, Double> probabilities = new LinkedHashMap<>();
    probabilities.put(ThompsonPolicy.NONE, eps / k);
    for (int i = 0; i < ordered.size(); i++) {
      probabilities.put(ordered.get(i).campaignId(), (i == 0 ? 1 - eps : 0) + eps / k);
    }
    String armId = chosen < 0 ? ThompsonPolicy.NONE : ordered.get(chosen).campaignId();
    ArmValue picked = chosen < 0 ? none : values.get(chosen);
    ArmValue runner = null;
    for (ArmValue v : values) {
      if (!v.armId().equals(armId) && (runner == null || v.mean() > runner.mean())) {
        runner = v;
      }
    }
    if (chosen >= 0 && (runner == null || none.mean() > runner.mean())) {
      runner = none;
    }
    return new Result(
        chosen < 0 ? Optional.empty() : Optional.of(ordered.get(chosen)),
        probabilities.get(armId),
        "apprentice",
        picked.mean() - none.mean(),
        chosen < 0 ? 0 : Math.hypot(picked.sd(), none.sd()),
        runner == null ? null : runner.armId(),
        runner == null ? 0 : runner.mean() - none.mean(),
        shadowChoice.armId(),
        probabilities);
  }

  private static Result thompson(Choice choice, List<EligibleCampaign> candidates) {
    Optional<EligibleCampaign> campaign =
        candidates.stream().filter(c -> c.campaignId().equals(choice.armId())).findFirst();
    return new Result(
        campaign,
        choice.propensity(),
        "thompson",
        choice.upliftMean(),
        choice.upliftSd(),
        choice.runnerUp(),
        choice.runnerUpUplift(),
        null,
        choice.probabilities());
  }

  /**
   * Probability of every action (campaign ids and "none") under a target policy, for off-policy
   * evaluation of logged decisions.
   */
  public Map<String, Double> probabilities(
      String target,
      double epsilon,
      double[] x,
      double pAlive,
      List<EligibleCampaign> candidates,
      PolicyModel model,
      Campaigns campaigns) {
    Map<String, Double> p = new LinkedHashMap<>();
    if (candidates.isEmpty()) {
      p.put(ThompsonPolicy.NONE, 1.0);
      return p;
    }
    int k = candidates.size() + 1;
    switch (target) {
      case "random" -> {
        p.put(ThompsonPolicy.NONE, 1.0 / k);
        candidates.forEach(c -> p.put(c.campaignId(), 1.0 / k));
      }
      case "manual" -> {
        p.put(ThompsonPolicy.NONE, epsilon / k);
        List<EligibleCampaign> ordered = candidates.stream().sorted(MANUAL_ORDER).toList();
        for (int i = 0; i < ordered.size(); i++) {
          p.put(ordered.get(i).campaignId(), (i == 0 ? 1 - epsilon : 0) + epsilon / k);
        }
      }
      case "model", "greedy" -> {
        List<EligibleCampaign> manual =
            candidates.stream().filter(c -> c.priority() != null).sorted(MANUAL_ORDER).toList();
        if (!manual.isEmpty()) {
          p.put(manual.get(0).campaignId(), 1.0);
          return p;
        }
        ArmValue none = value(ThompsonPolicy.NONE, x, model, pAlive, campaigns);
        List<ArmValue> values = values(candidates, x, model, pAlive, campaigns);
        p.putAll(
            "greedy".equals(target)
                ? ThompsonPolicy.greedy(none, values).probabilities()
                : new ThompsonPolicy(epsilon, settings.nodes()).probabilities(none, values));
      }
      default -> throw new IllegalArgumentException("unknown policy " + target);
    }
    return p;
  }

  /** Expected value of every action under the model (the reward model of doubly-robust OPE). */
  public static Map<String, Double> expectedValues(
      double[] x, List<EligibleCampaign> candidates, PolicyModel model) {
    Map<String, Double> q = new LinkedHashMap<>();
    q.put(ThompsonPolicy.NONE, model.posterior(ThompsonPolicy.NONE).predictMean(x));
    for (EligibleCampaign c : candidates) {
      q.put(c.campaignId(), model.posterior(c.campaignId()).predictMean(x));
    }
    return q;
  }

  private List<ArmValue> values(
      List<EligibleCampaign> candidates,
      double[] x,
      PolicyModel model,
      double pAlive,
      Campaigns campaigns) {
    List<ArmValue> values = new ArrayList<>(candidates.size());
    for (EligibleCampaign c : candidates) {
      values.add(value(c.campaignId(), x, model, pAlive, campaigns));
    }
    return values;
  }

  /**
   * Value of one arm: its expected reward plus, for a campaign that opens a journey, the discounted
   * expected uplift of each follow-up (counted only when positive: a follow-up that would not pay
   * is simply not sent).
   */
  ArmValue value(String armId, double[] x, PolicyModel model, double pAlive, Campaigns campaigns) {
    Posterior p = model.posterior(armId);
    double mean = p.predictMean(x);
    double var = Math.pow(p.predictSd(x), 2);
    if (!ThompsonPolicy.NONE.equals(armId)) {
      double base = model.posterior(ThompsonPolicy.NONE).predictMean(x);
      for (FollowUp f : campaigns.followUps(armId)) {
        Posterior fp = model.posterior(f.campaignId());
        double discount = Math.pow(settings.weeklyDiscount(), f.afterDays() / 7.0) * pAlive;
        double uplift = fp.predictMean(x) - base;
        if (uplift > 0) {
          mean += discount * uplift;
          var += Math.pow(discount * fp.predictSd(x), 2);
        }
      }
    }
    return new ArmValue(armId, mean, Math.sqrt(var));
  }
}
