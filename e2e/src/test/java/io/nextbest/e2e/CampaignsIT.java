package io.nextbest.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Campaigns across the services: a scheduled campaign over a profile-service segment (the dry run
 * counts its audience, a sweep walks the segment page by page and emits one moment per eligible
 * customer), and frequency caps counted from real decisions that survive a kill -9 of
 * eligibility-service and the loss of everything in Redis.
 */
class CampaignsIT extends RunningSystem {
  static final int CUSTOMERS = 1_200;

  @Test
  void sweepEmitsOneMomentPerEligibleMemberAndDryRunCountsThem() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String category = "tea-" + run;
    String segment = "tea-buyers-" + run;
    String campaign = "tea-offer-" + run;
    given()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "id",
                segment,
                "name",
                "Tea buyers",
                "rule",
                "'" + category + "' in features.topCategories"))
        .post(system.url("profile") + "/api/v1/segments")
        .then()
        .statusCode(201);
    StringBuilder events = new StringBuilder();
    for (int i = 0; i < CUSTOMERS; i++) {
      String c = "sw-" + run + "-" + i;
      // every tenth customer has withdrawn web personalization consent
      if (i % 10 == 0) {
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("granted", false, "source", "preference-centre"))
            .put(system.url("profile") + "/api/v1/profiles/{id}/consents/web", c)
            .then()
            .statusCode(200);
      }
      events
          .append(events.length() == 0 || i % 500 == 0 ? "" : ",")
          .append(
              ("{\"eventId\":\"%s-p\",\"customerId\":\"%s\",\"type\":\"purchase\",\"properties\":"
                      + "{\"orderId\":\"%s-o\",\"amount\":20,\"currency\":\"EUR\",\"items\":"
                      + "[{\"sku\":\"T1\",\"category\":\"%s\",\"price\":20,\"quantity\":1}]}}")
                  .formatted(c, c, c, category));
      if ((i + 1) % 500 == 0 || i == CUSTOMERS - 1) {
        given()
            .contentType(ContentType.JSON)
            .body("{\"events\":[" + events + "]}")
            .post(system.url("profile") + "/api/v1/events")
            .then()
            .statusCode(202);
        events.setLength(0);
      }
    }
    await(
        () ->
            given()
                    .queryParam("limit", 1)
                    .get(system.url("profile") + "/api/v1/segments/{id}/members", segment)
                    .jsonPath()
                    .getInt("total")
                == CUSTOMERS,
        "every customer in the segment");

    Map<String, Object> spec =
        Map.of(
            "id",
            campaign,
            "name",
            "Tea offer",
            "channels",
            List.of("web"),
            "placement",
            "home-hero",
            "priority",
            30,
            "trigger",
            Map.of("type", "schedule", "segment", segment, "everyMinutes", 10080),
            "rule",
            "features.purchaseCount >= 1");
    int expected = CUSTOMERS - CUSTOMERS / 10;
    JsonPath dry =
        given()
            .contentType(ContentType.JSON)
            .body(spec)
            .post(system.url("eligibility") + "/api/v1/campaigns/dry-run")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(dry.getLong("scanned")).isEqualTo(CUSTOMERS);
    assertThat(dry.getBoolean("complete")).isTrue();
    assertThat(dry.getLong("eligible")).isEqualTo(expected);
    assertThat(dry.getLong("excluded.'no web consent'")).isEqualTo(CUSTOMERS / 10);

    given()
        .contentType(ContentType.JSON)
        .body(spec)
        .post(system.url("eligibility") + "/api/v1/campaigns")
        .then()
        .statusCode(201);
    String sweepId =
        given()
            .post(system.url("eligibility") + "/api/v1/campaigns/{id}/sweeps", campaign)
            .then()
            .statusCode(202)
            .extract()
            .path("sweepId");
    await(
        () ->
            given()
                    .get(
                        system.url("eligibility") + "/api/v1/campaigns/{id}/sweeps/{s}",
                        campaign,
                        sweepId)
                    .jsonPath()
                    .getString("finishedAt")
                != null,
        "the sweep finishes");
    given()
        .get(system.url("eligibility") + "/api/v1/campaigns/{id}/sweeps/{s}", campaign, sweepId)
        .then()
        .body("customers", equalTo(CUSTOMERS))
        .body("moments", equalTo(expected))
        .body("error", equalTo(null));
    // each moment reached decision-service, which decided it once
    for (int i = 1; i < 40; i++) {
      String c = "sw-" + run + "-" + i;
      String decision = "d:m:s:" + sweepId + ":" + c;
      int want = i % 10 == 0 ? 404 : 200;
      await(
          () ->
              given().get(system.url("decision") + "/api/v1/decisions/{id}", decision).statusCode()
                  == want,
          "decision " + decision + " answers " + want);
      if (want == 200) {
        given()
            .get(system.url("decision") + "/api/v1/decisions/{id}", decision)
            .then()
            .body("campaignId", equalTo(campaign));
      }
    }
  }

  @Test
  void capsCountRealSendsAndSurviveARestartAndAnEmptyRedis() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String campaign = "vip-mail-" + run;
    String c = "cap-" + run;
    system.createCappedEmailCampaign(campaign, "VIP mail", "attributes.name == 'Vera " + run + "'");
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("granted", true, "source", "signup"))
        .put(system.url("profile") + "/api/v1/profiles/{id}/consents/email", c)
        .then()
        .statusCode(200);
    // the profile change is a moment; decision-service sends the campaign; that send is a contact
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("attributes", Map.of("name", "Vera " + run)))
        .put(system.url("profile") + "/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200);
    String capped = "campaign cap 1/30d reached";
    await(() -> capped.equals(reason(c, campaign)), "the campaign cap after the send");

    system.kill("eligibility");
    system.restart("eligibility");
    assertThat(reason(c, campaign)).isEqualTo(capped);

    system.stopRedis();
    system.startRedis();
    // the profile is cached again on its next read; the contacts come back from PostgreSQL
    await(
        () -> {
          given().get(system.url("profile") + "/api/v1/profiles/{id}", c);
          return capped.equals(reason(c, campaign));
        },
        "the cap with an empty Redis");
  }

  private static String reason(String customer, String campaign) {
    return given()
        .queryParam("channel", "email")
        .get(system.url("eligibility") + "/api/v1/eligibility/{id}", customer)
        .jsonPath()
        .getString("excluded.find { it.campaignId == '" + campaign + "' }.reason");
  }

  private static void await(java.util.function.BooleanSupplier check, String what)
      throws InterruptedException {
    Instant end = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(end)) {
      if (check.getAsBoolean()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("never: " + what);
  }
}
