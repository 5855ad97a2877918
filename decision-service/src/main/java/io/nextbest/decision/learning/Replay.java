package io.nextbest.decision.learning;

import io.nextbest.events.Moment.EligibleCampaign;
import io.nextbest.models.policy.CampaignAttributes;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.FeatureEncoder;
import io.nextbest.models.policy.ThompsonPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A logged decision rebuilt as the policy saw it: the vector of "none" and of every candidate (from
 * the logged shared vector, facts and candidate attributes), the candidates with their priorities,
 * and the action taken. Learning uses the taken action's vector; off-policy evaluation all of them.
 *
 * @param none vector of "none"
 * @param arms every candidate with its vector and attribute tokens
 * @param action the campaign sent, or "none" (also for controls: nothing was sent)
 * @param policy the logged explanation
 */
public record Replay(
    double[] none, List<DecisionPolicy.Arm> arms, String action, JsonObject policy) {

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
    JsonObject p = policy instanceof JsonObject o ? o : new JsonObject();
    JsonObject priorities = p.getJsonObject("priorities", new JsonObject());
    JsonObject channels = p.getJsonObject("channels", new JsonObject());
    JsonObject attributes = p.getJsonObject("attributes", new JsonObject());
    JsonArray controls = p.getJsonArray("controls", new JsonArray());
    List<DecisionPolicy.Arm> arms = new ArrayList<>();
    for (Object raw : candidates == null ? new JsonArray() : new JsonArray(candidates)) {
      String id = String.valueOf(raw);
      String channel = channels.getString(id);
      CampaignAttributes a = attributes(attributes.getJsonObject(id));
      arms.add(
          new DecisionPolicy.Arm(
              new EligibleCampaign(
                  id, priorities.getInteger(id), channel, null, controls.contains(id)),
              encoder.full(shared, f, a, channel, false),
              a.tokens(channel)));
    }
    String action = campaignId == null || control ? ThompsonPolicy.NONE : campaignId;
    return new Replay(encoder.full(shared, f, null, null, true), arms, action, p);
  }

  private static CampaignAttributes attributes(JsonObject o) {
    if (o == null) {
      return CampaignAttributes.NONE;
    }
    List<String> tags = new ArrayList<>();
    o.getJsonArray("tags", new JsonArray()).forEach(t -> tags.add(String.valueOf(t)));
    Number depth = o.getNumber("discountDepth");
    return new CampaignAttributes(
        o.getString("category"), depth == null ? null : depth.doubleValue(), tags);
  }
}
