package io.nextbest.eligibility.service;

import java.util.List;

/**
 * The campaigns a customer may receive, and the reason each other one was excluded.
 *
 * @param customerId the customer, or null when no profile is known
 * @param profileVersion version of the profile snapshot evaluated (0 when unknown)
 * @param eligible eligible campaigns
 * @param excluded excluded campaigns with their reason
 */
public record EligibilityResult(
    String customerId, long profileVersion, List<CampaignView> eligible, List<Exclusion> excluded) {

  /**
   * One excluded campaign.
   *
   * @param campaignId campaign id
   * @param reason why it was excluded
   */
  public record Exclusion(String campaignId, String reason) {}
}
