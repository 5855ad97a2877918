package io.nextbest.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The thin path through all four services, each hop real: event → profile-service (PostgreSQL +
 * outbox) → events and profiles topics → eligibility moment → decision (logged) → content.
 */
class SkeletonFlowIT extends RunningSystem {
  @Test
  void eventFlowsThroughAllFourServicesAndDuplicateIsNotCountedTwice() throws Exception {
    String c = "e2e-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body("{\"attributes\":{\"name\":\"Lin\"}}")
        .put(system.url("profile") + "/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200);
    String batch =
        "{\"events\":[{\"eventId\":\""
            + c
            + "-1\",\"customerId\":\""
            + c
            + "\",\"type\":\"purchase\",\"properties\":{\"amount\":42.5,\"currency\":\"EUR\"}}]}";
    // sent twice: once folded, the replay is acknowledged as a duplicate and changes nothing
    for (int attempt = 0; attempt < 2; attempt++) {
      given()
          .contentType(ContentType.JSON)
          .body(batch)
          .post(system.url("profile") + "/api/v1/events")
          .then()
          .statusCode(202)
          .body("accepted", equalTo(1 - attempt))
          .body("duplicates", equalTo(attempt));
      long deadline = System.currentTimeMillis() + 30_000;
      while (!Integer.valueOf(1)
              .equals(
                  given()
                      .get(system.url("profile") + "/api/v1/profiles/{id}", c)
                      .then()
                      .extract()
                      .path("features.purchaseCount"))
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
    }

    // the snapshot after the purchase is version 2: its moment and decision ids derive from it
    String decisionId = "d:m:" + c + ":2";
    awaitDecision(decisionId, Duration.ofSeconds(60));
    // the frontend call decides in real time (decision-service → eligibility-service) and renders
    Response content = awaitHeadline(c, "Welcome, Lin!", Duration.ofSeconds(60));
    assertThat(content.<String>path("campaignId")).isEqualTo("welcome");
    assertThat(content.<String>path("reason")).isEqualTo("campaign");
    String shown = content.path("decisionId");
    given()
        .get(system.url("decision") + "/api/v1/decisions/{id}", shown)
        .then()
        .statusCode(200)
        .body("campaignId", equalTo("welcome"))
        .body("placement", equalTo("home-hero"));
    clickContent(c, shown);

    given()
        .get(system.url("decision") + "/api/v1/decisions/{id}", decisionId)
        .then()
        .statusCode(200)
        .body("campaignId", equalTo("welcome"))
        .body("propensity", equalTo(1.0f))
        .body("policyVersion", equalTo("manual-priority-1"))
        // the context vector the policy used: bias, then recency, then has-purchased
        .body("features.encoder", startsWith("f2-"))
        .body("features.x[2]", equalTo(1.0f));

    given()
        .get(system.url("profile") + "/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200)
        .body("version", equalTo(2))
        .body("features.eventCount", equalTo(1))
        .body("features.monetary", equalTo(42.5f));

    // real time: decision-service asks eligibility-service, restricted to the welcome banner
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"customerId\":\""
                + c
                + "\",\"placement\":\"home-hero\",\"candidateCampaignIds\":[\"welcome\"]}")
        .post(system.url("decision") + "/api/v1/decisions")
        .then()
        .statusCode(200)
        .body("campaignId", equalTo("welcome"))
        .body("rule", equalTo("manual"))
        .body("propensity", equalTo(1.0f))
        .body("control", equalTo(false));
  }

  @Test
  void withoutRedisServicesStayReadyDegradedAndServeFromPostgres() throws Exception {
    String c = "e2e-noredis-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("attributes", Map.of("name", "Ada")))
        .put(system.url("profile") + "/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200);
    system.stopRedis();
    try {
      for (String service : NextBestSystem.PORTS.keySet()) {
        awaitRedisState(service, "degraded", Duration.ofSeconds(30));
      }
      // profiles come from PostgreSQL, slower but the same document
      given()
          .get(system.url("profile") + "/api/v1/profiles/{id}", c)
          .then()
          .statusCode(200)
          .body("customerId", equalTo(c))
          .body("attributes.name", equalTo("Ada"));
      // the frontend call still answers, with the placement default, while Redis is away
      given()
          .header("X-NextBest-Key", NextBestSystem.SITE_KEY)
          .queryParam("customerId", "someone")
          .get(system.url("content") + "/api/v1/content/{placement}", "home-hero")
          .then()
          .statusCode(200);
    } finally {
      system.startRedis();
    }
    for (String service : NextBestSystem.PORTS.keySet()) {
      awaitRedisState(service, "ok", Duration.ofSeconds(60));
    }
  }

  /** Waits until the service is ready (200) with its Redis check in the given state. */
  private static void awaitRedisState(String service, String state, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < end) {
      Response r = given().get(system.url(service) + "/q/health/ready");
      last = r.statusCode() + " " + r.asString();
      if (r.statusCode() == 200
          && state.equals(
              r.jsonPath().getString("checks.find { it.name == 'Redis cache' }.data.state"))) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        service + " readiness never showed Redis " + state + " within " + timeout + ": " + last);
  }

  private static void awaitDecision(String decisionId, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (given().get(system.url("decision") + "/api/v1/decisions/{id}", decisionId).statusCode()
          == 200) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("decision " + decisionId + " was never logged");
  }

  private static Response awaitHeadline(String customer, String headline, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    Response last = null;
    while (System.nanoTime() < end) {
      last =
          given()
              .header("X-NextBest-Key", NextBestSystem.SITE_KEY)
              .queryParam("customerId", customer)
              .queryParam("locale", "en")
              .get(system.url("content") + "/api/v1/content/{placement}", "home-hero");
      if (last.statusCode() == 200 && headline.equals(last.path("fields.headline"))) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "content for "
            + customer
            + " never showed '"
            + headline
            + "'; last: "
            + (last == null ? "none" : last.asString()));
  }
}
