package io.nextbest.decision.service;

import io.nextbest.decision.policy.ManualPriorityPolicy;
import io.nextbest.events.Decision;
import io.nextbest.events.Moment;
import io.nextbest.events.ProfileSnapshot;
import java.time.Instant;
import java.util.Map;

/** Turns a moment (and the customer's profile, when known) into a decision. */
public final class DecisionMaker {
  private DecisionMaker() {}

  /** The decision id for a moment: a redelivered moment maps to the same decision. */
  public static String decisionIdFor(String momentId) {
    return "d:" + momentId;
  }

  public static Decision decide(Moment moment, ProfileSnapshot profile, Instant now) {
    var chosen = ManualPriorityPolicy.choose(moment.campaigns());
    Map<String, Object> features =
        profile == null || profile.features() == null ? Map.of() : profile.features();
    return new Decision(
        decisionIdFor(moment.id()),
        Decision.TYPE,
        moment.customerId(),
        now,
        moment.id(),
        chosen.map(Moment.EligibleCampaign::campaignId).orElse(null),
        chosen.map(Moment.EligibleCampaign::channel).orElse(null),
        chosen.map(Moment.EligibleCampaign::placement).orElse(null),
        ManualPriorityPolicy.propensity(),
        ManualPriorityPolicy.VERSION,
        chosen.map(Moment.EligibleCampaign::control).orElse(false),
        moment.campaigns().stream().map(Moment.EligibleCampaign::campaignId).toList(),
        features);
  }
}
