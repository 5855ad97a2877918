package io.nextbest.decision.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.decision.domain.LoggedDecision;
import io.nextbest.events.DecisionTrace;
import java.time.Instant;
import java.util.List;

/**
 * A logged decision as the API shows it.
 *
 * @param decisionId decision id
 * @param momentId the moment decided on
 * @param customerId the customer
 * @param campaignId chosen campaign, or null for none
 * @param channel channel of the chosen campaign
 * @param placement placement of the chosen campaign
 * @param propensity probability of the chosen action under the policy
 * @param policyVersion the policy that decided
 * @param control whether the customer was held out
 * @param candidates the eligible campaign ids
 * @param features what the policy decided from and how
 * @param decidedAt when the decision was taken
 */
public record DecisionView(
    String decisionId,
    String momentId,
    String customerId,
    String campaignId,
    String channel,
    String placement,
    double propensity,
    String policyVersion,
    boolean control,
    List<String> candidates,
    DecisionTrace features,
    Instant decidedAt) {

  static DecisionView of(LoggedDecision d, ObjectMapper mapper) {
    try {
      return new DecisionView(
          d.decisionId,
          d.momentId,
          d.customerId,
          d.campaignId,
          d.channel,
          d.placement,
          d.propensity,
          d.policyVersion,
          d.control,
          mapper.readValue(d.candidates, new TypeReference<List<String>>() {}),
          d.features == null ? null : mapper.convertValue(d.features, DecisionTrace.class),
          d.decidedAt);
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new IllegalStateException("decision log row " + d.decisionId + " is not valid JSON", e);
    }
  }
}
