package io.nextbest.content;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.events.Topics;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ContentApiTest {
  @Inject RedisDataSource redis;

  static String decision(String customer, String id, String campaign, String at) {
    return ("{\"id\":\"%s\",\"type\":\"decision\",\"customerId\":\"%s\",\"occurredAt\":\"%s\","
            + "\"momentId\":\"m\",\"campaignId\":\"%s\",\"channel\":\"web\","
            + "\"placement\":\"home-hero\",\"propensity\":1.0,\"policyVersion\":\"p\","
            + "\"control\":false,\"candidates\":[\"%s\"],\"features\":{}}")
        .formatted(id, customer, at, campaign, campaign);
  }

  @Test
  void decidedCampaignIsRenderedWithTheCustomersName() {
    String c = "c-" + UUID.randomUUID();
    redis
        .value(String.class)
        .set(
            "nextbest:profile:" + c,
            "{\"id\":\""
                + c
                + ":1\",\"type\":\"profile.snapshot\",\"customerId\":\""
                + c
                + "\",\"occurredAt\":\"2026-06-01T10:00:00Z\",\"version\":1,"
                + "\"attributes\":{\"name\":\"Grace\"},\"features\":{}}");
    KafkaTopics.send(
        Topics.DECISIONS, c, decision(c, "d-1-" + c, "welcome", "2026-06-01T10:00:00Z"));
    awaitCampaign(c, "welcome");
    given()
        .queryParam("customerId", c)
        .get("/api/v1/content/{placement}", "home-hero")
        .then()
        .statusCode(200)
        .body("decisionId", equalTo("d-1-" + c))
        .body("variantId", equalTo("a"))
        .body("fields.headline", equalTo("Welcome, Grace!"));
  }

  @Test
  void olderDecisionArrivingLateDoesNotReplaceTheLatest() {
    String c = "c-" + UUID.randomUUID();
    KafkaTopics.send(
        Topics.DECISIONS, c, decision(c, "new-" + c, "welcome", "2026-06-02T10:00:00Z"));
    awaitCampaign(c, "welcome");
    KafkaTopics.send(Topics.DECISIONS, c, decision(c, "old-" + c, "other", "2026-06-01T10:00:00Z"));
    KafkaTopics.send(
        Topics.DECISIONS, c, decision(c, "new-" + c, "welcome", "2026-06-02T10:00:00Z"));
    sleep(Duration.ofSeconds(2));
    given()
        .queryParam("customerId", c)
        .get("/api/v1/content/{placement}", "home-hero")
        .then()
        .body("decisionId", equalTo("new-" + c));
  }

  @Test
  void unknownCustomerGetsThePlacementDefault() {
    given()
        .queryParam("customerId", "stranger-" + UUID.randomUUID())
        .get("/api/v1/content/{placement}", "home-hero")
        .then()
        .statusCode(200)
        .body("campaignId", nullValue())
        .body("variantId", equalTo("default"))
        .body("fields.headline", equalTo("This week's picks"));
  }

  @Test
  void badPlacementAndLocaleAreProblems() {
    given()
        .get("/api/v1/content/{placement}", "no-such-slot")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given()
        .queryParam("locale", "<script>")
        .get("/api/v1/content/{placement}", "home-hero")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("locale"));
  }

  private static void awaitCampaign(String customer, String campaign) {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < end) {
      String got =
          given()
              .queryParam("customerId", customer)
              .get("/api/v1/content/{placement}", "home-hero")
              .then()
              .extract()
              .path("campaignId");
      if (campaign.equals(got)) {
        return;
      }
      sleep(Duration.ofMillis(200));
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
