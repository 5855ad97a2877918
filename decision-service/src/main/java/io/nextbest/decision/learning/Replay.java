package io.nextbest.decision.learning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.nextbest.events.DecisionTrace;
import io.nextbest.events.Moment.EligibleCampaign;
import io.nextbest.models.policy.CampaignAttributes;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.FeatureEncoder;
import io.nextbest.models.policy.ThompsonPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A logged decision rebuilt as the policy saw it: the vector of "none" and of every candidate (from
 * the logged shared vector, facts and candidate attributes), the candidates with their priorities,
 * and the action taken. Learning uses the taken action's vector; off-policy evaluation all of them.
 *
 * @param none vector of "none"
 * @param arms every candidate with its vector and attribute tokens
 * @param action the campaign sent, or "none" (also for controls: nothing was sent)
 * @param policy the logged explanation, or null when the log has none
 */
public record Replay(
    double[] none, List<DecisionPolicy.Arm> arms, String action, DecisionTrace.Explanation policy) {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The vector of the action taken. */
  public double[] actionVector() {
    for (DecisionPolicy.Arm a : arms) {
      if (a.id().equals(action)) {
        return a.x();
      }
    }
    return none;
  }

  /** Attribute tokens of the action taken (none for "none"). */
  public List<String> actionTokens() {
    for (DecisionPolicy.Arm a : arms) {
      if (a.id().equals(action)) {
        return a.tokens();
      }
    }
    return List.of();
  }

  /**
   * Rebuilds a logged decision, or null when it was encoded under another feature schema.
   *
   * @param encoder the encoder in force
   * @param encoderId the logged encoder id
   * @param x the logged shared vector
   * @param facts the logged facts
   * @param policy the logged explanation
   * @param candidates the logged candidate ids (JSON array text)
   * @param campaignId the chosen campaign or null
   * @param control whether nothing was sent
   */
  public static Replay of(
      FeatureEncoder encoder,
      String encoderId,
      Object x,
      Object facts,
      Object policy,
      String candidates,
      String campaignId,
      boolean control) {
    if (!encoder.id().equals(encoderId)
        || !(x instanceof JsonArray array)
        || array.size() != encoder.sharedDimension()) {
      return null;
    }
    double[] shared = new double[array.size()];
    for (int i = 0; i < shared.length; i++) {
      Object v = array.getValue(i);
      shared[i] = v instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : 0;
    }
    FeatureEncoder.Facts f =
        FeatureEncoder.Facts.fromJson(facts instanceof JsonObject o ? o.getMap() : null);
    DecisionTrace.Explanation p = explanation(policy);
    Map<String, Integer> priorities = orEmpty(p == null ? null : p.priorities());
    Map<String, String> channels = orEmpty(p == null ? null : p.channels());
    Map<String, DecisionTrace.Attributes> attributes = orEmpty(p == null ? null : p.attributes());
    Set<String> controls =
        p == null || p.controls() == null ? Set.of() : new HashSet<>(p.controls());
    List<DecisionPolicy.Arm> arms = new ArrayList<>();
    for (Object raw : candidates == null ? new JsonArray() : new JsonArray(candidates)) {
      String id = String.valueOf(raw);
      String channel = channels.get(id);
      CampaignAttributes a = attributes(attributes.get(id));
      arms.add(
          new DecisionPolicy.Arm(
              new EligibleCampaign(id, priorities.get(id), channel, null, controls.contains(id)),
              encoder.full(shared, f, a, channel, false),
              a.tokens(channel)));
    }
    String action = campaignId == null || control ? ThompsonPolicy.NONE : campaignId;
    return new Replay(encoder.full(shared, f, null, null, true), arms, action, p);
  }

  /** The logged explanation (JSON from the log), or null when there is none or it is unreadable. */
  static DecisionTrace.Explanation explanation(Object policy) {
    if (!(policy instanceof JsonObject o)) {
      return null;
    }
    try {
      return JSON.readValue(o.encode(), DecisionTrace.Explanation.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
    return m == null ? Map.of() : m;
  }

  private static CampaignAttributes attributes(DecisionTrace.Attributes a) {
    return a == null
        ? CampaignAttributes.NONE
        : new CampaignAttributes(a.category(), a.discountDepth(), a.tags());
  }
}
