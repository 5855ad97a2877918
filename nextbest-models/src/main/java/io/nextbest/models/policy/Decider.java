package io.nextbest.models.policy;

import io.nextbest.events.Decision;
import io.nextbest.events.DecisionTrace;
import io.nextbest.events.Moment;
import io.nextbest.events.Moment.EligibleCampaign;
import io.nextbest.events.ProfileSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns candidates (and the customer's profile, contact history and the moment's context) into a
 * decision with everything learning and off-policy evaluation need: the encoder id, the shared
 * context vector and the facts every candidate's vector is built from, the candidates with their
 * priorities and attributes, the probability of every action, the propensity of the chosen one, the
 * customer's predicted remaining value (an unsubscribe destroys the channel's share of it) and the
 * policy version. The same code decides in decision-service and, from a published {@link
 * ModelSnapshot}, at the edge, so a decision reads the same wherever it was made.
 */
public final class Decider {
  /** The policy version of a decision for a customer of the global control group. */
  public static final String GLOBAL_CONTROL = "global-control";

  /** The policy version of a decision manual priority made. */
  public static final String MANUAL = "manual-priority-1";

  private static final Set<String> TIMED_CHANNELS = Set.of("email", "push");

  /**
   * What decides now.
   *
   * @param model the arm models
   * @param deciding apprentice, live, or live mode's learning phase
   * @param modelShare the canary share of apprentice decisions drawn from the live policy
   * @param policyVersion the version logged with decisions the model makes
   */
  public record InForce(
      PolicyModel model, DecisionPolicy.Mode deciding, double modelShare, String policyVersion) {

    /** The policy version of a mode and model version, e.g. {@code thompson-v12}. */
    public static String policyVersion(DecisionPolicy.Mode deciding, long modelVersion) {
      String prefix =
          switch (deciding) {
            case LIVE -> "thompson-v";
            case LEARNING -> "learning-v";
            case APPRENTICE -> "apprentice-v";
          };
      return prefix + modelVersion;
    }
  }

  /** What the decider knows of the campaigns beyond the moment: journeys and attributes. */
  public interface Campaigns extends DecisionPolicy.Campaigns {
    /** A campaign's attributes; {@link CampaignAttributes#NONE} for an unknown campaign. */
    CampaignAttributes attributes(String campaignId);
  }

  /**
   * What a decision is made from.
   *
   * @param decisionId decision id
   * @param momentId moment id, null for a real-time request
   * @param customerId the customer
   * @param candidates eligible campaigns
   * @param attributes attributes given with the candidates (the campaign catalogue's otherwise)
   * @param globalControl the customer is in the global control group
   * @param profile the profile snapshot, or null
   * @param context the moment's context, or null
   * @param sends the customer's recent sends, or null when unknown
   * @param at the moment's time
   * @param simulatedBy who asked for a moment other than now (subject of the token), else null
   * @param excluded the campaigns excluded at the moment with their reason, or null when unknown;
   *     the explanation keeps at most {@link Moment.Exclusion#MAX} of them
   */
  public record Request(
      String decisionId,
      String momentId,
      String customerId,
      List<EligibleCampaign> candidates,
      Map<String, CampaignAttributes> attributes,
      boolean globalControl,
      ProfileSnapshot profile,
      Map<String, Object> context,
      Collection<FeatureEncoder.Send> sends,
      Instant at,
      String simulatedBy,
      List<Moment.Exclusion> excluded) {}

  /**
   * A decision with its explanation.
   *
   * @param decision the record published on the decisions topic
   * @param result how the policy chose
   * @param sendAt when to send (email and push follow the customer's best hour), null if nothing
   * @param ignored the context keys the encoder ignored
   */
  public record Decided(
      Decision decision, DecisionPolicy.Result result, Instant sendAt, List<String> ignored) {}

  private final FeatureEncoder encoder;
  private final DecisionPolicy policy;
  private final int horizonDays;

  /**
   * @param encoder the declared feature schema's encoder
   * @param policy the policy and its tuning
   * @param horizonDays the reward horizon logged with every decision
   */
  public Decider(FeatureEncoder encoder, DecisionPolicy policy, int horizonDays) {
    this.encoder = encoder;
    this.policy = policy;
    this.horizonDays = horizonDays;
  }

  public FeatureEncoder encoder() {
    return encoder;
  }

  public DecisionPolicy policy() {
    return policy;
  }

  /** The decision id for a moment: a redelivered moment maps to the same decision. */
  public static String decisionIdFor(String momentId) {
    return "d:" + momentId;
  }

  public Decided decide(Request r, InForce state, Campaigns campaigns) {
    FeatureEncoder.Encoded encoded = encoder.encode(r.profile(), r.context(), r.sends(), r.at());
    double[] none = encoder.full(encoded.shared(), encoded.facts(), null, null, true);
    Map<String, CampaignAttributes> attributes = new LinkedHashMap<>();
    List<DecisionPolicy.Arm> arms = new ArrayList<>(r.candidates().size());
    for (EligibleCampaign c : r.candidates()) {
      CampaignAttributes given = r.attributes() == null ? null : r.attributes().get(c.campaignId());
      CampaignAttributes a = given != null ? given : campaigns.attributes(c.campaignId());
      if (a != CampaignAttributes.NONE) {
        attributes.put(c.campaignId(), a);
      }
      arms.add(
          new DecisionPolicy.Arm(
              c,
              encoder.full(encoded.shared(), encoded.facts(), a, c.channel(), false),
              a.tokens(c.channel())));
    }
    DecisionPolicy.Result result;
    String version;
    if (r.globalControl()) {
      result =
          new DecisionPolicy.Result(
              Optional.empty(),
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
              none,
              arms,
              state.model(),
              state.deciding(),
              campaigns,
              seed(r.decisionId()),
              state.modelShare());
      version = "manual".equals(result.rule()) ? MANUAL : state.policyVersion();
    }
    EligibleCampaign chosen = result.campaign().orElse(null);
    boolean control = r.globalControl() || chosen != null && chosen.control();
    Instant sendAt = null;
    ProfileSnapshot profile = r.profile();
    if (chosen != null && !control) {
      sendAt =
          TIMED_CHANNELS.contains(chosen.channel())
              ? SendTime.best(
                  FeatureEncoder.histogram(
                      profile == null || profile.features() == null
                          ? null
                          : profile.features().get("engagementByHourOfWeek")),
                  FeatureEncoder.zone(profile),
                  r.at())
              : r.at();
    }
    Map<String, Integer> priorities = new HashMap<>(); // manual ones; the rest are auto
    List<String> controls = new ArrayList<>();
    for (EligibleCampaign c : r.candidates()) {
      if (c.priority() != null) {
        priorities.put(c.campaignId(), c.priority());
      }
      if (c.control()) {
        controls.add(c.campaignId());
      }
    }
    DecisionTrace.Explanation explanation =
        new DecisionTrace.Explanation(
            result.rule(),
            state.model().version(),
            finite(result.probabilities()),
            priorities,
            controls,
            channels(r.candidates()),
            traced(attributes),
            horizonDays,
            remainingValue(profile),
            finite(result.upliftMean()),
            finite(result.upliftSd()),
            result.runnerUp(),
            finite(result.runnerUpUplift()),
            result.shadow(),
            sendAt,
            r.simulatedBy(),
            result.explored(),
            Moment.Exclusion.bounded(r.excluded()));
    DecisionTrace trace =
        new DecisionTrace(
            encoder.id(),
            encoded.shared(),
            encoded.facts().toJson(),
            r.context() == null || r.context().isEmpty() ? null : r.context(),
            encoded.ignored().isEmpty() ? null : encoded.ignored(),
            explanation);
    Decision decision =
        new Decision(
            r.decisionId(),
            Decision.TYPE,
            r.customerId(),
            r.at(),
            r.momentId(),
            chosen == null ? null : chosen.campaignId(),
            chosen == null ? null : chosen.channel(),
            chosen == null ? null : chosen.placement(),
            finite(result.propensity()),
            version,
            control,
            r.candidates().stream().map(EligibleCampaign::campaignId).toList(),
            trace);
    return new Decided(decision, result, sendAt, encoded.ignored());
  }

  /** The candidates' attributes as the trace records them; null when none is described. */
  private static Map<String, DecisionTrace.Attributes> traced(
      Map<String, CampaignAttributes> attributes) {
    if (attributes.isEmpty()) {
      return null;
    }
    Map<String, DecisionTrace.Attributes> out = new LinkedHashMap<>();
    attributes.forEach(
        (id, a) ->
            out.put(id, new DecisionTrace.Attributes(a.category(), a.discountDepth(), a.tags())));
    return out;
  }

  private static Map<String, String> channels(List<EligibleCampaign> candidates) {
    Map<String, String> out = new HashMap<>();
    for (EligibleCampaign c : candidates) {
      if (c.channel() != null) {
        out.put(c.campaignId(), c.channel());
      }
    }
    return out;
  }

  /**
   * The customer's predicted value over the next 12 months from the CLV model, of which an
   * unsubscribe destroys the channel's share (learning's {@code UnsubscribeCost}); null when the
   * profile has no prediction (the configured cost applies).
   */
  public static Double remainingValue(ProfileSnapshot profile) {
    if (profile == null || profile.predictions() == null) {
      return null;
    }
    Object basis = profile.predictions().get("basis");
    Object clv = profile.predictions().get("clv12m");
    if (!"bg-nbd+gamma-gamma".equals(basis) || !(clv instanceof Number n)) {
      return null;
    }
    double v = n.doubleValue();
    return Double.isFinite(v) && v >= 0 ? v : null;
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : 0;
  }

  private static Map<String, Double> finite(Map<String, Double> p) {
    Map<String, Double> out = new LinkedHashMap<>();
    p.forEach((k, v) -> out.put(k, finite(v)));
    return out;
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
