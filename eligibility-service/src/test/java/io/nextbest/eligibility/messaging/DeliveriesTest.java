package io.nextbest.eligibility.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.events.Decision;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveriesTest {
  private static Decision decision(String momentId, String campaign, String channel, boolean ctl) {
    return new Decision(
        momentId == null ? "d:rt" : "d:" + momentId,
        Decision.TYPE,
        "c",
        Instant.parse("2026-11-01T10:00:00Z"),
        momentId,
        campaign,
        channel,
        null,
        1,
        "t",
        ctl,
        List.of(),
        null);
  }

  @Test
  void aMomentDecisionOnAnOnSiteChannelShowedNobodyAnything() {
    assertThat(DecisionConsumer.isDelivery(decision("m:c:1", "hero", "web", false))).isFalse();
    assertThat(DecisionConsumer.isDelivery(decision("m:e:ev-1", "hero", "in-app", false)))
        .isFalse();
  }

  @Test
  void aPageViewsDecisionIsWhatWasShown() {
    assertThat(DecisionConsumer.isDelivery(decision(null, "hero", "web", false))).isTrue();
    assertThat(DecisionConsumer.isDelivery(decision(null, "hero", "in-app", false))).isTrue();
  }

  @Test
  void onMessagingChannelsTheDecisionIsTheSend() {
    for (String channel : List.of("email", "sms", "push")) {
      assertThat(DecisionConsumer.isDelivery(decision("m:c:1", "news", channel, false))).isTrue();
      assertThat(DecisionConsumer.isDelivery(decision(null, "news", channel, false))).isTrue();
    }
  }

  @Test
  void noCampaignNoChannelOrAControlIsNoDelivery() {
    assertThat(DecisionConsumer.isDelivery(decision(null, null, null, false))).isFalse();
    assertThat(DecisionConsumer.isDelivery(decision("m:c:1", "news", "email", true))).isFalse();
    assertThat(DecisionConsumer.isDelivery(decision(null, "hero", null, false))).isFalse();
  }
}
