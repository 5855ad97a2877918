package io.nextbest.events;

import java.time.Instant;
import java.util.List;

/**
 * A customer moment on {@link Topics#ELIGIBILITY}: the campaigns this customer may receive now.
 *
 * @param id derived from what caused the moment, so a redelivered cause yields the same moment
 * @param type always {@link #TYPE}
 * @param customerId the customer
 * @param occurredAt when the moment was evaluated
 * @param cause id of the profile snapshot or event that caused the moment
 * @param campaigns eligible campaigns, after rules and exclusions; for a global-control customer,
 *     the campaigns the customer would have been eligible for
 * @param globalControl true when the customer is in the global control group: nothing is sent, the
 *     decision is logged so the programme's uplift can be measured
 */
public record Moment(
    String id,
    String type,
    String customerId,
    Instant occurredAt,
    String cause,
    List<EligibleCampaign> campaigns,
    boolean globalControl) {

  public static final String TYPE = "eligibility.moment";

  public Moment(
      String id,
      String type,
      String customerId,
      Instant occurredAt,
      String cause,
      List<EligibleCampaign> campaigns) {
    this(id, type, customerId, occurredAt, cause, campaigns, false);
  }

  /**
   * One eligible campaign.
   *
   * @param campaignId campaign id
   * @param priority manual priority (higher first), or null for "auto"
   * @param channel channel the campaign would use
   * @param placement placement for web and in-app campaigns, or null
   * @param control true when the customer is in the campaign's control group: the decision is
   *     logged as a control and nothing is sent
   */
  public record EligibleCampaign(
      String campaignId, Integer priority, String channel, String placement, boolean control) {

    public EligibleCampaign(String campaignId, Integer priority, String channel, String placement) {
      this(campaignId, priority, channel, placement, false);
    }
  }
}
