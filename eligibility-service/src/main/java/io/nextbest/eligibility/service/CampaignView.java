package io.nextbest.eligibility.service;

import io.nextbest.eligibility.domain.Campaign;
import io.nextbest.events.Moment;
import java.time.Instant;

/**
 * An immutable view of a campaign, safe to share between threads and to return from the API.
 *
 * @param id campaign id
 * @param name display name
 * @param status active or paused
 * @param priority manual priority (higher first), or null for auto
 * @param channel web, email, sms, push or in-app
 * @param placement placement for web and in-app campaigns
 * @param rule eligibility rule
 * @param startsAt start of the campaign window, or null
 * @param endsAt end of the campaign window, or null
 */
public record CampaignView(
    String id,
    String name,
    String status,
    Integer priority,
    String channel,
    String placement,
    String rule,
    Instant startsAt,
    Instant endsAt) {

  public static CampaignView of(Campaign c) {
    return new CampaignView(
        c.id, c.name, c.status, c.priority, c.channel, c.placement, c.rule, c.startsAt, c.endsAt);
  }

  public boolean runsAt(Instant t) {
    return (startsAt == null || !t.isBefore(startsAt)) && (endsAt == null || t.isBefore(endsAt));
  }

  public Moment.EligibleCampaign asEligible() {
    return new Moment.EligibleCampaign(id, priority, channel, placement);
  }
}
