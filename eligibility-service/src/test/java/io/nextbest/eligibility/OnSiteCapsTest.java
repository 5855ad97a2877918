package io.nextbest.eligibility;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Only what was delivered on a channel counts against its cap: a web campaign decided on a profile
 * change (no visit, nothing shown) leaves its cap unspent; the page view's decision spends it.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class OnSiteCapsTest {
  private static final String CAPPED = "campaign cap 1/30d reached";

  @Inject RedisDataSource redis;

  private static void webCampaign(String id, String placement, String tag) {
    given()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "id",
                id,
                "name",
                "Hero " + id,
                "goal",
                "conversion",
                "channels",
                List.of("web"),
                "placement",
                placement,
                "priority",
                5,
                "trigger",
                Map.of("type", "realtime"),
                "rule",
                "attributes.tag == '" + tag + "'",
                "cap",
                Map.of("max", 1, "days", 30)))
        .post("/api/v1/campaigns")
        .then()
        .statusCode(201);
  }

  private void cacheProfile(String customer, String tag) {
    redis
        .value(String.class)
        .set(
            "nextbest:profile:" + customer,
            ("{\"id\":\"%s:1\",\"type\":\"profile.snapshot\",\"customerId\":\"%s\","
                    + "\"occurredAt\":\"2026-06-01T10:00:00Z\",\"version\":1,"
                    + "\"attributes\":{\"tag\":\"%s\"},\"features\":{},\"predictions\":{},"
                    + "\"consents\":{},\"segments\":[]}")
                .formatted(customer, customer, tag));
  }

  /** A decision on the web channel; {@code momentId} null for a page view's real-time decision. */
  private static String decision(String id, String customer, String momentId, String campaign) {
    return ("{\"id\":\"%s\",\"type\":\"decision\",\"customerId\":\"%s\",\"occurredAt\":\"%s\","
            + "\"momentId\":%s,\"campaignId\":\"%s\",\"channel\":\"web\",\"placement\":null,"
            + "\"propensity\":1.0,\"policyVersion\":\"t\",\"control\":false,"
            + "\"candidates\":[],\"features\":{}}")
        .formatted(
            id,
            customer,
            Instant.now().minusSeconds(60),
            momentId == null ? "null" : "\"" + momentId + "\"",
            campaign);
  }

  private static String reason(String customer, String placement, String campaign) {
    JsonPath r =
        given()
            .queryParam("placement", placement)
            .queryParam("channel", "web")
            .get("/api/v1/eligibility/{id}", customer)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    return r.getString("excluded.find { it.campaignId == '" + campaign + "' }.reason");
  }

  private static void eventually(java.util.function.BooleanSupplier check, String what)
      throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < end) {
      if (check.getAsBoolean()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never: " + what);
  }

  @Test
  void aWebDecisionOnAProfileChangeSpendsNoCapAndAPageViewsDecisionDoes()
      throws InterruptedException {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String hero = "hero-" + tag;
    String marker = "marker-" + tag;
    webCampaign(hero, "hero-" + tag, tag);
    webCampaign(marker, "side-" + tag, tag);
    String c = "visitor-" + tag;
    cacheProfile(c, tag);
    assertThat(reason(c, "hero-" + tag, hero)).isNull();

    // the profile-change stream decided the hero campaign before the first visit (nobody saw it),
    // then a page view showed the marker campaign; one partition, so in this order
    KafkaTopics.send(Topics.DECISIONS, c, decision("d:m:" + c + ":1", c, "m:" + c + ":1", hero));
    KafkaTopics.send(Topics.DECISIONS, c, decision("d:" + UUID.randomUUID(), c, null, marker));
    eventually(
        () -> CAPPED.equals(reason(c, "side-" + tag, marker)), "the page view's decision counts");
    assertThat(reason(c, "hero-" + tag, hero)).as("the moment decision spent no cap").isNull();

    // the first visit shows the hero campaign: now its cap is spent
    KafkaTopics.send(Topics.DECISIONS, c, decision("d:" + UUID.randomUUID(), c, null, hero));
    eventually(() -> CAPPED.equals(reason(c, "hero-" + tag, hero)), "the shown hero counts");

    // and it stays spent after Redis lost the set: PostgreSQL holds deliveries only
    redis.key().del("nextbest:contacts:" + c);
    assertThat(reason(c, "hero-" + tag, hero)).isEqualTo(CAPPED);
    assertThat(reason(c, "side-" + tag, marker)).isEqualTo(CAPPED);
  }
}
