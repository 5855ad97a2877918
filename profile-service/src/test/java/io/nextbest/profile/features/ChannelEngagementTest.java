package io.nextbest.profile.features;

import static io.nextbest.profile.features.Fold.event;
import static io.nextbest.profile.features.Fold.features;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelEngagementTest {

  private static Map<String, Long> counts(long opens, long clicks) {
    return Map.of("opens", opens, "clicks", clicks);
  }

  @Test
  void countsOpensAndClicksPerChannel() {
    var f =
        features(
            event("email_open", Map.of("campaignId", "c1")),
            event("email_open", Map.of()),
            event("push_open", Map.of("messageId", "m1")),
            event("app_open", Map.of("platform", "ios")),
            event("click", Map.of("campaignId", "c1")),
            event("click", Map.of("placement", "home-hero")),
            event("click", Map.of("placement", "home-hero", "channel", "in-app")),
            event("click", Map.of("channel", "sms")),
            event("click", Map.of("channel", "push")));

    assertThat(f.get("channelEngagement"))
        .isEqualTo(
            Map.of(
                "email", counts(2, 1),
                "push", counts(1, 1),
                "sms", counts(0, 1),
                "web", counts(0, 1),
                "in-app", counts(0, 1)));
  }

  @Test
  void everyChannelIsPresentWithoutEngagement() {
    @SuppressWarnings("unchecked")
    var engagement =
        (Map<String, Object>) features(event("view", Map.of())).get("channelEngagement");
    assertThat(engagement.keySet()).containsExactly("email", "push", "sms", "web", "in-app");
    assertThat(engagement.get("sms")).isEqualTo(counts(0, 0));
  }

  @Test
  void lastEngagementIsTheLatestEventWhateverTheArrivalOrder() {
    Instant later = Instant.parse("2026-05-20T08:00:00Z");
    Instant earlier = Instant.parse("2026-05-01T08:00:00Z");
    var f = features(event("email_open", later, Map.of()), event("click", earlier, Map.of()));
    assertThat(f.get("lastEngagementAt")).isEqualTo(later);
    assertThat(f.get("daysSinceLastEngagement")).isEqualTo(12L);
  }
}
