package io.nextbest.eligibility.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EligibilityEngineTest {
  private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

  private static CampaignView campaign(
      String id,
      String status,
      String channel,
      String placement,
      String rule,
      Instant start,
      Instant end) {
    return new CampaignView(id, id, status, 10, channel, placement, rule, start, end);
  }

  @Test
  void activeAlwaysTrueCampaignIsEligible() {
    var result =
        EligibilityEngine.evaluate(
            List.of(campaign("a", "active", "web", "home-hero", "true", null, null)),
            null,
            null,
            null,
            NOW);
    assertThat(result.eligible()).extracting(CampaignView::id).containsExactly("a");
    assertThat(result.excluded()).isEmpty();
  }

  @Test
  void everyExclusionCarriesItsReason() {
    var result =
        EligibilityEngine.evaluate(
            List.of(
                campaign("paused", "paused", "web", "home-hero", "true", null, null),
                campaign("ended", "active", "web", "home-hero", "true", null, NOW.minusSeconds(1)),
                campaign("later", "active", "web", "home-hero", "true", NOW.plusSeconds(60), null),
                campaign("never", "active", "web", "home-hero", "false", null, null)),
            null,
            null,
            null,
            NOW);
    assertThat(result.eligible()).isEmpty();
    assertThat(result.excluded())
        .extracting(EligibilityResult.Exclusion::reason)
        .containsExactly(
            "campaign is paused",
            "outside the campaign window",
            "outside the campaign window",
            "rule is false");
  }

  @Test
  void placementAndChannelFilterTheCandidates() {
    var campaigns =
        List.of(
            campaign("web", "active", "web", "home-hero", "true", null, null),
            campaign("mail", "active", "email", null, "true", null, null));
    assertThat(EligibilityEngine.evaluate(campaigns, null, "home-hero", null, NOW).eligible())
        .extracting(CampaignView::id)
        .containsExactly("web");
    assertThat(EligibilityEngine.evaluate(campaigns, null, null, "email", NOW).eligible())
        .extracting(CampaignView::id)
        .containsExactly("mail");
  }
}
