package io.nextbest.eligibility;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class MomentStreamingTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The ids of the campaigns a published moment lists as eligible. */
  static List<String> campaignsOf(String moment) {
    List<String> ids = new ArrayList<>();
    try {
      JSON.readTree(moment).path("campaigns").forEach(c -> ids.add(c.path("campaignId").asText()));
    } catch (JsonProcessingException e) {
      throw new AssertionError("unreadable moment: " + moment, e);
    }
    return ids;
  }

  /** The codes of the campaigns a published moment lists as excluded, by campaign id. */
  static Map<String, String> excludedOf(String moment) {
    Map<String, String> codes = new HashMap<>();
    try {
      JSON.readTree(moment)
          .path("excluded")
          .forEach(x -> codes.put(x.path("campaignId").asText(), x.path("code").asText()));
    } catch (JsonProcessingException e) {
      throw new AssertionError("unreadable moment: " + moment, e);
    }
    return codes;
  }

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
      assertThat(found.get(0).value()).contains("\"id\":\"m:" + c + ":3\"");
      // a scheduled campaign is swept rather than triggered
      assertThat(campaignsOf(found.get(0).value()))
          .contains("welcome")
          .doesNotContain("newsletter");
    }
  }

  @Test
  void aChangeFromLongAgoIsNoMomentButAFreshOneIs() {
    String c = "c-" + UUID.randomUUID();
    Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2));
    String old = snapshot(c, 1).replace("}}", "},\"changedAt\":\"%s\"}".formatted(twoDaysAgo));
    String fresh = snapshot(c, 2).replace("}}", "},\"changedAt\":\"%s\"}".formatted(Instant.now()));
    try (var moments = KafkaTopics.watch(Topics.ELIGIBILITY)) {
      // an imported order of two days ago: stored in the profile, not decided now
      KafkaTopics.send(Topics.PROFILES, c, old);
      KafkaTopics.send(Topics.PROFILES, c, fresh);
      var found = moments.collectFor(r -> c.equals(r.key()), Duration.ofSeconds(10));
      assertThat(found).hasSize(1);
      assertThat(found.get(0).value()).contains("\"id\":\"m:" + c + ":2\"");
    }
  }

  @Test
  void aBurstOfSnapshotsIsEvaluatedWithEachCustomersOwnSends() throws InterruptedException {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String campaign = "burst-" + tag;
    given()
        .auth()
        .oauth2(TestJwt.tokenFor("ana", "marketer"))
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "id",
                campaign,
                "name",
                "Burst " + tag,
                "goal",
                "conversion",
                "channels",
                List.of("web"),
                "placement",
                "burst-slot",
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
    // one customer was already shown this campaign on a page view: its cap is reached
    String capped = tag + "-capped";
    KafkaTopics.send(
        Topics.DECISIONS,
        capped,
        ("{\"id\":\"d:%s\",\"type\":\"decision\",\"customerId\":\"%s\",\"occurredAt\":\"%s\","
                + "\"momentId\":null,\"campaignId\":\"%s\",\"channel\":\"web\","
                + "\"propensity\":1.0,\"policyVersion\":\"t\",\"control\":false,"
                + "\"candidates\":[],\"features\":{}}")
            .formatted(capped, capped, Instant.now().minusSeconds(60), campaign));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!given()
            .get("/api/v1/eligibility/{id}", capped)
            .then()
            .statusCode(200)
            .extract()
            .asString()
            .contains("campaign cap 1/30d reached")
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }

    List<String> customers = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      customers.add(tag + "-" + i);
    }
    customers.add(150, capped);
    try (var moments = KafkaTopics.watch(Topics.ELIGIBILITY)) {
      KafkaTopics.sendAll(
          Topics.PROFILES,
          customers.stream()
              .map(
                  c ->
                      Map.entry(
                          c,
                          ("{\"id\":\"%s:1\",\"type\":\"profile.snapshot\",\"customerId\":\"%s\","
                                  + "\"occurredAt\":\"2026-06-01T10:00:00Z\",\"version\":1,"
                                  + "\"attributes\":{\"tag\":\"%s\"},\"features\":{}}")
                              .formatted(c, c, tag)))
              .toList());
      var found =
          moments.await(r -> r.key().startsWith(tag), customers.size(), Duration.ofSeconds(60));

      assertThat(found).hasSize(customers.size());
      Map<String, String> byCustomer = new HashMap<>();
      found.forEach(r -> byCustomer.put(r.key(), r.value()));
      assertThat(byCustomer).containsOnlyKeys(customers);
      customers.stream()
          .filter(c -> !c.equals(capped))
          .forEach(
              c ->
                  assertThat(byCustomer.get(c))
                      .contains("\"id\":\"m:" + c + ":1\"")
                      .contains("\"campaignId\":\"" + campaign + "\""));
      assertThat(campaignsOf(byCustomer.get(capped))).contains("welcome").doesNotContain(campaign);
      // the moment says why, so the decision made from it can too
      assertThat(excludedOf(byCustomer.get(capped))).containsEntry(campaign, "CAMPAIGN_CAP");
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
