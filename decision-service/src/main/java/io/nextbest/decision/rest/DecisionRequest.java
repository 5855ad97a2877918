package io.nextbest.decision.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * A real-time decision request.
 *
 * @param customerId the customer
 * @param placement the placement asking (web, in-app), or null
 * @param channel the channel asking, or null; placement or channel is required
 * @param candidateCampaignIds restricts the choice to these campaigns (after eligibility)
 * @param candidates campaigns the caller has already checked for eligibility: no eligibility call
 *     is made
 * @param context request context (device, page, ...), logged with the decision
 */
public record DecisionRequest(
    @NotBlank @Size(max = 200) String customerId,
    @Size(max = 100) String placement,
    @Size(max = 30) String channel,
    @Size(max = 200) List<@NotBlank String> candidateCampaignIds,
    @Size(max = 200) List<@Valid Candidate> candidates,
    @Size(max = 50) Map<String, Object> context) {

  /**
   * A pre-checked eligible campaign.
   *
   * @param campaignId campaign id
   * @param priority manual priority, null for auto
   * @param channel channel it would use
   * @param placement placement, or null
   * @param control the customer is in its control group
   */
  public record Candidate(
      @NotBlank @Size(max = 200) String campaignId,
      Integer priority,
      @NotBlank @Size(max = 30) String channel,
      @Size(max = 100) String placement,
      boolean control) {}
}
