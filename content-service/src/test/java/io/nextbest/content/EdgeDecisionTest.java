package io.nextbest.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.content.service.EdgeCampaigns;
import io.nextbest.content.service.EdgeModel;
import io.nextbest.events.Topics;
import io.nextbest.models.policy.FeatureSchema;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The content call decided in-process from the artifacts decision-service and eligibility-service
 * publish, the decision logged on the decisions topic as decision-service logs its own; and the
 * HTTP decision whenever the edge cannot decide as decision-service would.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(DecisionServiceDouble.class)
class EdgeDecisionTest {
  @Inject RedisDataSource redis;
  @Inject EdgeModel model;
  @Inject EdgeCampaigns campaigns;
  @Inject MeterRegistry registry;

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String campaign = "edge-banner-" + run;
  private final long version = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);

  @BeforeEach
  void defaults() {
    RestAssured.requestSpecification =
        TestJwt.spec("admin", "marketer").addHeader("X-NextBest-Key", "pk_test").build();
  }

  /** Leaves the edge without a fresh model, so other tests decide over HTTP. */
  @AfterEach
  void staleModel() throws Exception {
    long stale = version + 1;
    EdgeArtifacts.publish(
        Topics.MODELS,
        EdgeArtifacts.snapshot(stale, Instant.now().minusSeconds(3600), Map.of()).toBytes());
    EdgeArtifacts.eventually(() -> model.fresh(Instant.now()) == null);
  }

  private String campaignSet(Instant publishedAt) {
    return """
        {"campaigns": [{"version": 1, "spec": {"id": "%s", "name": "Edge banner",
          "status": "active", "goal": "conversion", "channels": ["web"],
          "placement": "home-hero", "priorityMode": "auto", "trigger": {"type": "realtime"},
          "rule": "true", "controlPercent": 0, "attributionWindowDays": 7,
          "attributes": {"category": "garden", "discountDepth": 10, "tags": ["spring"]}}}],
         "settings": {"controlGroupPercent": 0, "controlGroupSalt": "s", "defaultTimezone": "UTC",
          "quietHours": {}, "channelCaps": []},
         "doNotContact": {},
         "publishedAt": "%s"}
        """
        .formatted(campaign, publishedAt);
  }

  /** Publishes a fresh model and campaign set and waits until this replica holds both. */
  private void publishArtifacts() throws Exception {
    EdgeArtifacts.publish(
        Topics.MODELS, EdgeArtifacts.snapshot(version, Instant.now(), Map.of()).toBytes());
    EdgeArtifacts.publish(Topics.CAMPAIGNS, campaignSet(Instant.now()));
    assertThat(
            EdgeArtifacts.eventually(
                () -> {
                  var m = model.fresh(Instant.now());
                  var c = campaigns.fresh(Instant.now());
                  return m != null
                      && m.snapshot().version() == version
                      && c != null
                      && c.set().campaigns().stream().anyMatch(v -> v.spec().id().equals(campaign));
                }))
        .isTrue();
  }

  /** A contact history eligibility-service rebuilt from PostgreSQL: whole, so caps can trust it. */
  private void trustedHistory(String customer) {
    redis
        .sortedSet(String.class)
        .zadd("nextbest:contacts:" + customer, Double.POSITIVE_INFINITY, "~loaded");
  }

  private double decisions(String where, String why) {
    return registry
        .get("nextbest.content.decisions")
        .tag("where", where)
        .tag("why", why)
        .counter()
        .count();
  }

  @Test
  void aContentCallIsDecidedInProcessAndLoggedOnTheDecisionsTopic() throws Exception {
    publishArtifacts();
    given()
        .get("/api/v1/edge")
        .then()
        .statusCode(200)
        .body("decides", org.hamcrest.Matchers.equalTo(true))
        .body("model.policyVersion", org.hamcrest.Matchers.equalTo("thompson-v" + version))
        .body("campaigns.campaigns", org.hamcrest.Matchers.equalTo(1))
        .body("campaigns.doNotContact", org.hamcrest.Matchers.equalTo(0));
    String customer = "edge-" + run;
    trustedHistory(customer);
    double before = decisions("edge", "decided");

    try (var topic = KafkaTopics.watch(Topics.DECISIONS)) {
      String decisionId =
          given()
              .queryParam("customerId", customer)
              .get("/api/v1/content/{placement}", "home-hero")
              .then()
              .statusCode(200)
              .extract()
              .path("decisionId");

      var logged =
          topic.await(r -> r.value().contains("\"" + decisionId + "\""), 1, Duration.ofSeconds(20));
      assertThat(logged).hasSize(1);
      assertThat(logged.get(0).key()).isEqualTo(customer);
      String d = logged.get(0).value();
      assertThat(d)
          .contains("\"customerId\":\"" + customer + "\"")
          .contains("\"candidates\":[\"" + campaign + "\"]")
          .contains("\"policyVersion\":\"thompson-v" + version + "\"")
          .contains("\"encoder\":\"" + FeatureSchema.defaults().id() + "\"")
          .contains("\"category\":\"garden\"");
    }
    assertThat(decisions("edge", "decided")).isEqualTo(before + 1);
  }

  @Test
  void withoutAWholeContactHistoryOrAFreshModelDecisionServiceDecides() throws Exception {
    publishArtifacts();
    String customer = "edge-http-" + run;
    DecisionServiceDouble.ANSWERS.put(
        customer, new DecisionServiceDouble.Answer(null, false, 0, 200));
    double unknown = decisions("http", "contacts-unknown");

    // no marker: the set may be missing sends, and a cap must never be evaluated on part of them
    given()
        .queryParam("customerId", customer)
        .get("/api/v1/content/{placement}", "home-hero")
        .then()
        .statusCode(200);
    assertThat(decisions("http", "contacts-unknown")).isEqualTo(unknown + 1);

    EdgeArtifacts.publish(
        Topics.MODELS,
        EdgeArtifacts.snapshot(version + 2, Instant.now().minus(Duration.ofHours(2)), Map.of())
            .toBytes());
    assertThat(EdgeArtifacts.eventually(() -> model.fresh(Instant.now()) == null)).isTrue();
    trustedHistory(customer);
    double noModel = decisions("http", "no-model");
    given()
        .queryParam("customerId", customer)
        .get("/api/v1/content/{placement}", "home-hero")
        .then()
        .statusCode(200);
    assertThat(decisions("http", "no-model")).isEqualTo(noModel + 1);
    given()
        .get("/api/v1/edge")
        .then()
        .statusCode(200)
        .body("decides", org.hamcrest.Matchers.equalTo(false))
        .body("missing", org.hamcrest.Matchers.equalTo("no-model"));
  }
}
