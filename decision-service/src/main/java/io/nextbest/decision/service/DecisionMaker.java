package io.nextbest.decision.service;

import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.campaigns.CampaignInfo;
import io.nextbest.decision.learning.ModelStore;
import io.nextbest.decision.policy.DecisionPolicy;
import io.nextbest.decision.policy.FeatureEncoder;
import io.nextbest.decision.policy.SendTime;
import io.nextbest.decision.policy.ThompsonPolicy;
import io.nextbest.events.Decision;
import io.nextbest.events.Moment.EligibleCampaign;
import io.nextbest.events.ProfileSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns candidates (and the customer's profile, when known) into a decision with everything
 * off-policy evaluation needs: the context vector, the candidates with their priorities, the
 * probability of every action, the propensity of the chosen one and the policy version.
 */
@ApplicationScoped
public class DecisionMaker {
  public static final String GLOBAL_CONTROL = "global-control";
  private static final Set<String> TIMED_CHANNELS = Set.of("email", "push");

  private final DecisionPolicy policy;
  private final ModelStore models;
  private final CampaignInfo campaigns;

  public DecisionMaker(DecisionConfig config, ModelStore models, CampaignInfo campaigns) {
    this.policy =
        new DecisionPolicy(
            new DecisionPolicy.Settings(
                config.epsilon(),
                config.apprenticeEpsilon(),
                config.propensityNodes(),
                config.weeklyDiscount()));
    this.models = models;
    this.campaigns = campaigns;
  }

  public DecisionPolicy policy() {
    return policy;
  }

  /** The decision id for a moment: a redelivered moment maps to the same decision. */
  public static String decisionIdFor(String momentId) {
    return "d:" + momentId;
  }

  /**
   * A decision with its explanation.
   *
   * @param decision the record published on the decisions topic
   * @param result how the policy chose
   * @param sendAt when to send (email and push follow the customer's best hour), null if nothing
   */
  public record Decided(Decision decision, DecisionPolicy.Result result, Instant sendAt) {}

  public Decided decide(
      String decisionId,
      String momentId,
      String customerId,
      List<EligibleCampaign> candidates,
      boolean globalControl,
      ProfileSnapshot profile,
      Map<String, Object> context,
      Instant now) {
    ModelStore.State state = models.state();
    double[] x = FeatureEncoder.encode(profile, now);
    double pAlive =
        profile != null
                && profile.predictions() != null
                && profile.predictions().get("probabilityAlive") instanceof Number n
            ? n.doubleValue()
            : 1;
    DecisionPolicy.Result result;
    String version;
    if (globalControl) {
      result =
          new DecisionPolicy.Result(
              java.util.Optional.empty(),
              1,
              GLOBAL_CONTROL,
              0,
              0,
              null,
              0,
              null,
              Map.of(ThompsonPolicy.NONE, 1.0));
      version = GLOBAL_CONTROL;
    } else {
      result =
          policy.decide(
              x, pAlive, candidates, state.model(), state.mode(), campaigns, seed(decisionId));
      version = "manual".equals(result.rule()) ? "manual-priority-1" : state.policyVersion();
    }
    EligibleCampaign chosen = result.campaign().orElse(null);
    boolean control = globalControl || chosen != null && chosen.control();
    Instant sendAt = null;
    if (chosen != null && !control) {
      sendAt =
          TIMED_CHANNELS.contains(chosen.channel())
              ? SendTime.best(
                  FeatureEncoder.histogram(
                      profile == null || profile.features() == null
                          ? null
                          : profile.features().get("engagementByHourOfWeek")),
                  FeatureEncoder.zone(profile),
                  now)
              : now;
    }
    Map<String, Object> explanation = new LinkedHashMap<>();
    explanation.put("rule", result.rule());
    explanation.put("modelVersion", state.model().version());
    explanation.put("probabilities", result.probabilities());
    Map<String, Integer> priorities = new HashMap<>(); // manual ones; the rest are auto
    List<String> controls = new ArrayList<>();
    for (EligibleCampaign c : candidates) {
      if (c.priority() != null) {
        priorities.put(c.campaignId(), c.priority());
      }
      if (c.control()) {
        controls.add(c.campaignId());
      }
    }
    explanation.put("priorities", priorities);
    explanation.put("controls", controls);
    explanation.put(
        "windowDays", campaigns.windowDays(chosen == null ? null : chosen.campaignId()));
    explanation.put("pAlive", pAlive);
    explanation.put("upliftMean", result.upliftMean());
    explanation.put("upliftSd", result.upliftSd());
    explanation.put("runnerUp", result.runnerUp());
    explanation.put("runnerUpUplift", result.runnerUpUplift());
    explanation.put("shadow", result.shadow());
    explanation.put("sendAt", sendAt == null ? null : sendAt.toString());
    Map<String, Object> features = new LinkedHashMap<>();
    features.put("encoder", FeatureEncoder.VERSION);
    features.put("x", x);
    if (context != null && !context.isEmpty()) {
      features.put("context", context);
    }
    features.put("policy", explanation);
    Decision decision =
        new Decision(
            decisionId,
            Decision.TYPE,
            customerId,
            now,
            momentId,
            chosen == null ? null : chosen.campaignId(),
            chosen == null ? null : chosen.channel(),
            chosen == null ? null : chosen.placement(),
            result.propensity(),
            version,
            control,
            candidates.stream().map(EligibleCampaign::campaignId).toList(),
            features);
    return new Decided(decision, result, sendAt);
  }

  /** 64-bit FNV-1a of the decision id: the seed of its random draws. */
  public static long seed(String decisionId) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < decisionId.length(); i++) {
      h ^= decisionId.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
