package io.nextbest.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.nextbest.profile.config.OutboxConfig;
import io.nextbest.profile.messaging.OutboxRelay;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A relay pass takes what its limits allow, and the passes after it take the rest, in order. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class OutboxRelayLimitsTest {
  @Inject OutboxRelay relay;
  @Inject OutboxConfig config;

  @AfterEach
  void restore() {
    relay.passLimits(config.relayBatch(), config.relayBatchBytes());
  }

  private void publishesEveryEventInOrder(String c) {
    try (var events = KafkaTopics.watch(Topics.EVENTS)) {
      ProfileFeaturesTest.ingest(
          EventIngestTest.batch(
              EventIngestTest.event(c + "-1", c, "view", "{\"category\":\"tea\"}"),
              EventIngestTest.event(c + "-2", c, "view", "{\"category\":\"cups\"}"),
              EventIngestTest.event(c + "-3", c, "add_to_cart", "{\"sku\":\"T-1\"}"),
              EventIngestTest.event(c + "-4", c, "view", "{\"category\":\"tea\"}"),
              EventIngestTest.event(c + "-5", c, "app_open", "{}")));
      var published =
          events.await(
              r -> c.equals(r.key()) && !r.value().contains("\"type\":\"segment_"),
              5,
              Duration.ofSeconds(60));
      assertThat(published)
          .extracting(r -> r.value().substring(0, r.value().indexOf(',')))
          .containsExactly(
              "{\"id\":\"" + c + "-1\"",
              "{\"id\":\"" + c + "-2\"",
              "{\"id\":\"" + c + "-3\"",
              "{\"id\":\"" + c + "-4\"",
              "{\"id\":\"" + c + "-5\"");
    }
  }

  @Test
  void passesOfOneRowByTheirByteLimitStillPublishEveryRowInCommitOrder() {
    relay.passLimits(config.relayBatch(), 1); // a pass takes its first row only
    publishesEveryEventInOrder("relay-" + UUID.randomUUID());
  }

  @Test
  void passesOfTwoRowsByTheirRowLimitStillPublishEveryRowInCommitOrder() {
    relay.passLimits(2, config.relayBatchBytes());
    publishesEveryEventInOrder("relay-" + UUID.randomUUID());
  }
}
