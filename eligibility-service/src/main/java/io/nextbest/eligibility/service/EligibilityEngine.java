package io.nextbest.eligibility.service;

import io.nextbest.events.ProfileSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which campaigns a customer may receive at a moment, and why each other one is excluded.
 * Plain Java: the Quarkus beans only feed it campaigns and profiles.
 */
public final class EligibilityEngine {
  private EligibilityEngine() {}

  /**
   * Evaluates every campaign for one customer.
   *
   * @param campaigns all known campaigns
   * @param profile the customer's latest snapshot, or null when unknown
   * @param placement only campaigns for this placement, or null for any
   * @param channel only campaigns on this channel, or null for any
   * @param now the moment's time
   */
  public static EligibilityResult evaluate(
      List<CampaignView> campaigns,
      ProfileSnapshot profile,
      String placement,
      String channel,
      Instant now) {
    List<CampaignView> eligible = new ArrayList<>();
    List<EligibilityResult.Exclusion> excluded = new ArrayList<>();
    for (CampaignView c : campaigns) {
      if (placement != null && !placement.equals(c.placement())) {
        continue;
      }
      if (channel != null && !channel.equals(c.channel())) {
        continue;
      }
      String reason = exclusionReason(c, now);
      if (reason == null) {
        eligible.add(c);
      } else {
        excluded.add(new EligibilityResult.Exclusion(c.id(), reason));
      }
    }
    return new EligibilityResult(
        profile == null ? null : profile.customerId(),
        profile == null ? 0 : profile.version(),
        eligible,
        excluded);
  }

  private static String exclusionReason(CampaignView c, Instant now) {
    if (!"active".equals(c.status())) {
      return "campaign is " + c.status();
    }
    if (!c.runsAt(now)) {
      return "outside the campaign window";
    }
    return switch (c.rule().trim()) {
      case "true" -> null;
      case "false" -> "rule is false";
      default -> "rule '" + c.rule() + "' cannot be evaluated yet";
    };
  }
}
