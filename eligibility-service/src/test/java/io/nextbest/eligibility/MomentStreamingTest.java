package io.nextbest.eligibility;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class MomentStreamingTest {

  static String snapshot(String customer, long version) {
    return ("{\"id\":\"%s:%d\",\"type\":\"profile.snapshot\",\"customerId\":\"%s\","
            + "\"occurredAt\":\"2026-06-01T10:00:00Z\",\"version\":%d,\"attributes\":{},"
            + "\"features\":{\"eventCount\":1}}")
        .formatted(customer, version, customer, version);
  }

  @Test
  void profileSnapshotYieldsMomentWithTheRealtimeCampaigns() {
    String c = "c-" + UUID.randomUUID();
    try (var moments = KafkaTopics.watch(Topics.ELIGIBILITY)) {
      KafkaTopics.send(Topics.PROFILES, c, snapshot(c, 3));
      var found = moments.await(r -> c.equals(r.key()), 1, Duration.ofSeconds(30));
      assertThat(found).hasSize(1);
      assertThat(found.get(0).value())
          .contains("\"id\":\"m:" + c + ":3\"")
          .contains("\"campaignId\":\"welcome\"")
          .doesNotContain("newsletter"); // a scheduled campaign, swept rather than triggered
    }
  }

  @Test
  void poisonSnapshotGoesToDeadLetterTopicAndTheStreamCarriesOn() {
    String c = "c-" + UUID.randomUUID();
    try (var dlq = KafkaTopics.watch(Topics.PROFILES + ".dlq");
        var moments = KafkaTopics.watch(Topics.ELIGIBILITY)) {
      KafkaTopics.send(Topics.PROFILES, c, "{not json");
      KafkaTopics.send(Topics.PROFILES, c, snapshot(c, 1));
      assertThat(dlq.await(r -> c.equals(r.key()), 1, Duration.ofSeconds(30))).hasSize(1);
      assertThat(moments.await(r -> c.equals(r.key()), 1, Duration.ofSeconds(30))).hasSize(1);
    }
  }

  @Test
  void campaignsAndEligibilityAreServed() {
    given()
        .get("/api/v1/campaigns")
        .then()
        .statusCode(200)
        .body("campaign.id", hasItems("welcome", "newsletter"));
    given()
        .get("/api/v1/campaigns/{id}", "no-such-campaign")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given()
        .queryParam("placement", "home-hero")
        .get("/api/v1/eligibility/{id}", "anyone")
        .then()
        .statusCode(200)
        .body("eligible[0].id", equalTo("welcome"));
  }
}
