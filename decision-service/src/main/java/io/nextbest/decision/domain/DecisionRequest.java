package io.nextbest.decision.domain;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
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
 * @param context request context (device, page, cart value, ...): flat keys with numbers, booleans
 *     and strings; features by the declared schema, logged with the decision
 * @param at the moment's time, default now; a moment more than five minutes from now (a replay or a
 *     simulation) needs a token with the {@code simulation} or {@code admin} role
 */
public record DecisionRequest(
    @NotBlank @Size(max = 200) String customerId,
    @Size(max = 100) String placement,
    @Size(max = 30) String channel,
    @Size(max = 200) List<@NotBlank String> candidateCampaignIds,
    @Size(max = 200) List<@Valid Candidate> candidates,
    @Size(max = 50) Map<String, Object> context,
    Instant at) {

  /**
   * A pre-checked eligible campaign.
   *
   * @param campaignId campaign id
   * @param priority manual priority, null for auto
   * @param channel channel it would use
   * @param placement placement, or null
   * @param control the customer is in its control group
   * @param attributes what the campaign is (category, discount depth, tags); the campaign
   *     catalogue's when absent
   */
  public record Candidate(
      @NotBlank @Size(max = 200) String campaignId,
      Integer priority,
      @NotBlank @Size(max = 30) String channel,
      @Size(max = 100) String placement,
      boolean control,
      @Valid Attributes attributes) {}

  /**
   * A campaign's attributes.
   *
   * @param category category it promotes
   * @param discountDepth percent off, 0–100
   * @param tags free tags, at most 10
   */
  public record Attributes(
      @Size(max = 64) String category,
      @DecimalMin("0") @DecimalMax("100") Double discountDepth,
      @Size(max = 10) List<@NotBlank @Size(max = 64) String> tags) {}
}
