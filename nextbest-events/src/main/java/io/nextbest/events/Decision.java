package io.nextbest.events;

import java.time.Instant;

/**
 * A decision on {@link Topics#DECISIONS}: the chosen campaign for a moment, or none.
 *
 * @param id decision id (derived from the moment id, so a redelivered moment is not decided twice)
 * @param type always {@link #TYPE}
 * @param customerId the customer
 * @param occurredAt when the decision was taken
 * @param momentId the moment decided on
 * @param campaignId chosen campaign, or null for "none"
 * @param channel channel of the chosen campaign
 * @param placement placement of the chosen campaign, or null
 * @param propensity probability of the chosen action under the policy
 * @param policyVersion version of the policy that decided
 * @param control true when the customer was held out as a control
 * @param candidates ids of the campaigns that were eligible
 * @param features what the policy decided from and how
 */
public record Decision(
    String id,
    String type,
    String customerId,
    Instant occurredAt,
    String momentId,
    String campaignId,
    String channel,
    String placement,
    double propensity,
    String policyVersion,
    boolean control,
    java.util.List<String> candidates,
    DecisionTrace features) {

  public static final String TYPE = "decision";
}
