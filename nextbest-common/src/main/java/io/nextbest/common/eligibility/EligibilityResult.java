package io.nextbest.common.eligibility;

import io.nextbest.events.ExclusionCode;
import io.nextbest.events.Moment;
import java.util.List;

/**
 * The campaigns a customer may receive, and the reason each other one was excluded.
 *
 * @param customerId the customer
 * @param profileVersion version of the profile snapshot evaluated (0 when unknown)
 * @param globalControl true when the customer is in the global control group
 * @param eligible eligible campaigns, manual priorities first
 * @param excluded excluded campaigns with their reason
 */
public record EligibilityResult(
    String customerId,
    long profileVersion,
    boolean globalControl,
    List<Eligible> eligible,
    List<Exclusion> excluded) {

  /**
   * One eligible campaign.
   *
   * @param id campaign id
   * @param name campaign name
   * @param priorityMode manual or auto
   * @param priority manual priority, or null for auto
   * @param channel the channel it may use now (its first allowed one)
   * @param placement its placement, or null
   * @param goal its KPI
   * @param control true when the customer is in this campaign's control group: decide and log,
   *     never send
   * @param attributes what it offers (category, discount depth, tags), or null when not described
   */
  public record Eligible(
      String id,
      String name,
      String priorityMode,
      Integer priority,
      String channel,
      String placement,
      String goal,
      boolean control,
      CampaignSpec.Attributes attributes) {

    public Moment.EligibleCampaign asMomentCampaign() {
      return new Moment.EligibleCampaign(
          id, "auto".equals(priorityMode) ? null : priority, channel, placement, control);
    }
  }

  /**
   * One excluded campaign.
   *
   * @param campaignId campaign id
   * @param code why it was excluded, as a code
   * @param reason why it was excluded, in words
   */
  public record Exclusion(String campaignId, ExclusionCode code, String reason) {
    public Exclusion(String campaignId, Why why) {
      this(campaignId, why.code(), why.text());
    }
  }

  /**
   * A reason for an exclusion.
   *
   * @param code what kind of reason
   * @param text the reason in words, with its particulars
   */
  public record Why(ExclusionCode code, String text) {}
}
