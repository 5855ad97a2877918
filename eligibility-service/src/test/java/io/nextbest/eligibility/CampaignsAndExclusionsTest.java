package io.nextbest.eligibility;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.eligibility.service.ContactNearCache;
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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class CampaignsAndExclusionsTest {
  @Inject RedisDataSource redis;
  @Inject ContactNearCache near;

  private static String run() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static Map<String, Object> emailCampaign(String id) {
    return Map.of(
        "id",
        id,
        "name",
        "Spring sale",
        "goal",
        "revenue",
        "channels",
        List.of("email"),
        "priority",
        20,
        "trigger",
        Map.of("type", "realtime"),
        "rule",
        "features.purchaseCount >= 1");
  }

  private void cacheProfile(String customer, String consentsJson) {
    redis
        .value(String.class)
        .set(
            "nextbest:profile:" + customer,
            ("{\"id\":\"%s:1\",\"type\":\"profile.snapshot\",\"customerId\":\"%s\","
                    + "\"occurredAt\":\"2026-06-01T10:00:00Z\",\"version\":1,"
                    + "\"attributes\":{\"timezone\":\"Europe/Madrid\"},"
                    + "\"features\":{\"purchaseCount\":2},\"predictions\":{},"
                    + "\"consents\":%s,\"segments\":[]}")
                .formatted(customer, customer, consentsJson));
  }

  /** A decision record as decision-service publishes it: an e-mail send unless a control. */
  private static String decision(
      String decisionId, String customer, String campaign, Instant at, boolean control) {
    return ("{\"id\":\"%s\",\"type\":\"decision\",\"customerId\":\"%s\",\"occurredAt\":\"%s\","
            + "\"momentId\":\"m\",\"campaignId\":\"%s\",\"channel\":\"email\","
            + "\"propensity\":1.0,\"policyVersion\":\"t\",\"control\":%s,"
            + "\"candidates\":[],\"features\":{}}")
        .formatted(decisionId, customer, at, campaign, control);
  }

  /** Creates an e-mail campaign capped at {@code max} sends in {@code days}. */
  private static void createCappedCampaign(String id, int max, int days) {
    var spec = new java.util.HashMap<>(emailCampaign(id));
    spec.put("cap", Map.of("max", max, "days", days));
    given()
        .contentType(ContentType.JSON)
        .body(spec)
        .post("/api/v1/campaigns")
        .then()
        .statusCode(201);
  }

  private static JsonPath eligibility(String customer, String channel) {
    return given()
        .queryParam("channel", channel)
        .get("/api/v1/eligibility/{id}", customer)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static String reason(JsonPath r, String campaign) {
    return r.getString("excluded.find { it.campaignId == '" + campaign + "' }.reason");
  }

  private static void eventually(BooleanSupplier check, String what) {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < end) {
      if (check.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("never: " + what);
  }

  @Test
  void campaignsAreVersionedAuditedAndDeleted() {
    String id = "sale-" + run();
    given()
        .contentType(ContentType.JSON)
        .auth()
        .oauth2(TestJwt.tokenFor("ana", "marketer"))
        .body(emailCampaign(id))
        .post("/api/v1/campaigns")
        .then()
        .statusCode(201)
        .header("Location", containsString("/api/v1/campaigns/" + id))
        .body("version", equalTo(1))
        .body("campaign.priorityMode", equalTo("manual"))
        .body("campaign.attributionWindowDays", equalTo(7));
    given()
        .contentType(ContentType.JSON)
        .body(emailCampaign(id))
        .post("/api/v1/campaigns")
        .then()
        .statusCode(409);
    var changed = new java.util.HashMap<>(emailCampaign(id));
    changed.put("priorityMode", "auto");
    changed.remove("priority");
    given()
        .contentType(ContentType.JSON)
        .auth()
        .oauth2(TestJwt.tokenFor("ben", "marketer"))
        .body(changed)
        .put("/api/v1/campaigns/{id}", id)
        .then()
        .statusCode(200)
        .body("version", equalTo(2))
        .body("campaign.priorityMode", equalTo("auto"));
    given().delete("/api/v1/campaigns/{id}", id).then().statusCode(204);
    given().get("/api/v1/campaigns/{id}", id).then().statusCode(404);
    given()
        .get("/api/v1/campaigns/{id}/history", id)
        .then()
        .statusCode(200)
        .body("action", equalTo(List.of("created", "updated", "deleted")))
        .body("changedBy", equalTo(List.of("ana", "ben", "test-admin-marketer")))
        .body("version", equalTo(List.of(1, 2, 3)));
  }

  @Test
  void campaignAttributesRoundTripThroughTheApiHistoryAndEligibility() {
    String id = "shoes-" + run();
    String plain = "plain-" + run();
    var described = new java.util.HashMap<String, Object>(emailCampaign(id));
    described.put(
        "attributes",
        Map.of("category", "shoes", "discountDepth", 20, "tags", List.of("promo", "spring")));
    given()
        .contentType(ContentType.JSON)
        .body(described)
        .post("/api/v1/campaigns")
        .then()
        .statusCode(201)
        .body("campaign.attributes.category", equalTo("shoes"))
        .body("campaign.attributes.discountDepth", equalTo(20.0f))
        .body("campaign.attributes.tags", equalTo(List.of("promo", "spring")));
    given()
        .contentType(ContentType.JSON)
        .body(emailCampaign(plain))
        .post("/api/v1/campaigns")
        .then()
        .statusCode(201)
        .body("campaign", not(hasKey("attributes")));
    given()
        .get("/api/v1/campaigns/{id}", id)
        .then()
        .statusCode(200)
        .body("campaign.attributes.tags", equalTo(List.of("promo", "spring")));
    // the list decision-service reads with its service token
    JsonPath listed =
        given()
            .auth()
            .oauth2(TestJwt.token("service"))
            .get("/api/v1/campaigns")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    String described0 = "find { it.campaign.id == '" + id + "' }.campaign.attributes";
    assertThat(listed.getString(described0 + ".category")).isEqualTo("shoes");
    assertThat(listed.getDouble(described0 + ".discountDepth")).isEqualTo(20.0);
    assertThat(listed.getList(described0 + ".tags", String.class))
        .containsExactly("promo", "spring");
    assertThat(listed.getMap("find { it.campaign.id == '" + plain + "' }.campaign"))
        .doesNotContainKey("attributes");

    // the real-time answer carries each eligible campaign's attributes, null when it has none
    String c = "attr-" + UUID.randomUUID();
    cacheProfile(c, "{\"email\":{\"granted\":true}}");
    JsonPath answer = eligibility(c, "email");
    String entry = "eligible.find { it.id == '%s' }";
    assertThat(answer.getMap(entry.formatted(id) + ".attributes"))
        .isEqualTo(
            Map.of(
                "category", "shoes", "discountDepth", 20.0f, "tags", List.of("promo", "spring")));
    assertThat(answer.getMap(entry.formatted(plain))).containsEntry("attributes", null);

    // changed, then removed: each version keeps its own attributes
    described.put("attributes", Map.of("category", "boots", "tags", List.of("promo")));
    given()
        .contentType(ContentType.JSON)
        .body(described)
        .put("/api/v1/campaigns/{id}", id)
        .then()
        .statusCode(200)
        .body("version", equalTo(2))
        .body("campaign.attributes.category", equalTo("boots"))
        .body("campaign.attributes", not(hasKey("discountDepth")));
    given()
        .contentType(ContentType.JSON)
        .body(emailCampaign(id))
        .put("/api/v1/campaigns/{id}", id)
        .then()
        .statusCode(200)
        .body("version", equalTo(3))
        .body("campaign", not(hasKey("attributes")));
    given()
        .get("/api/v1/campaigns/{id}/history", id)
        .then()
        .statusCode(200)
        .body("version", equalTo(List.of(1, 2, 3)))
        .body("[0].campaign.attributes.category", equalTo("shoes"))
        .body("[1].campaign.attributes.category", equalTo("boots"))
        .body("[2].campaign", not(hasKey("attributes")))
        .body("[0].campaign.attributes.discountDepth", equalTo(20.0f))
        .body("[1].campaign.attributes.tags", equalTo(List.of("promo")));
    assertThat(eligibility(c, "email").getMap(entry.formatted(id)))
        .containsEntry("attributes", null);
  }

  @Test
  void badCampaignAttributesAreNamedByTheirPath() {
    var bad = new java.util.HashMap<String, Object>(emailCampaign("bad-attrs-" + run()));
    bad.put(
        "attributes",
        Map.of("category", "Shoes", "discountDepth", 120, "tags", List.of("promo", "ok", "promo")));
    given()
        .contentType(ContentType.JSON)
        .body(bad)
        .post("/api/v1/campaigns")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body(
            "errors.field",
            equalTo(
                List.of("attributes.category", "attributes.discountDepth", "attributes.tags[2]")))
        .body(
            "errors.find { it.field == 'attributes.tags[2]' }.message",
            equalTo("'promo' is listed twice"));
    bad.put(
        "attributes",
        Map.of("tags", java.util.stream.IntStream.range(0, 11).mapToObj(i -> "t" + i).toList()));
    given()
        .contentType(ContentType.JSON)
        .body(bad)
        .put("/api/v1/campaigns/{id}", bad.get("id"))
        .then()
        .statusCode(400)
        .body("errors.field", equalTo(List.of("attributes.tags")));
    // a number too large for a double reads as infinity: not a finite percentage
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"id\":\"inf-%s\",\"name\":\"Inf\",\"channels\":[\"email\"],\"priority\":1,"
                    .formatted(run())
                + "\"attributes\":{\"discountDepth\":1e400}}")
        .post("/api/v1/campaigns/validate")
        .then()
        .statusCode(400)
        .body("errors.field", equalTo(List.of("attributes.discountDepth")));
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"id\":\"typo-%s\",\"name\":\"Typo\",\"channels\":[\"email\"],\"priority\":1,"
                    .formatted(run())
                + "\"attributes\":{\"catgory\":\"shoes\"}}")
        .post("/api/v1/campaigns")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", equalTo(List.of("attributes.catgory")));
  }

  @Test
  void campaignsNeedATokenWithAMarketerRole() {
    String id = "auth-" + run();
    given()
        .auth()
        .none()
        .contentType(ContentType.JSON)
        .body(emailCampaign(id))
        .post("/api/v1/campaigns")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", "Bearer")
        .body("detail", containsString("Authorization: Bearer"));
    given()
        .auth()
        .oauth2("not.a.jwt")
        .get("/api/v1/campaigns")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("detail", containsString("not accepted"));
    given()
        .auth()
        .oauth2(TestJwt.token("service"))
        .contentType(ContentType.JSON)
        .body(emailCampaign(id))
        .post("/api/v1/campaigns")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("title", equalTo("Not allowed"));
    given().auth().oauth2(TestJwt.token("service")).get("/api/v1/campaigns").then().statusCode(200);
    given()
        .auth()
        .oauth2(TestJwt.token("marketer"))
        .contentType(ContentType.JSON)
        .body(Map.of("controlGroupPercent", 5.0))
        .put("/api/v1/eligibility-settings")
        .then()
        .statusCode(403);
    given().auth().none().get("/api/v1/campaigns/{id}", id).then().statusCode(401);
    // a token issued in the future, or living longer than the configured maximum, is refused
    long now = java.time.Instant.now().getEpochSecond();
    for (String bad :
        List.of(
            TestJwt.issued(now + 3600, now + 7200, "marketer"),
            TestJwt.issued(now - 60, now + 40L * 86_400, "marketer"))) {
      given()
          .auth()
          .oauth2(bad)
          .get("/api/v1/campaigns")
          .then()
          .statusCode(401)
          .contentType("application/problem+json");
    }
    given()
        .auth()
        .oauth2(TestJwt.issued(now - 60, now + 3600, "marketer"))
        .get("/api/v1/campaigns")
        .then()
        .statusCode(200);
    // the real-time eligibility call is the services' own: an answer lists every campaign and
    // why it was excluded, so a caller without a token gets nothing
    given()
        .auth()
        .none()
        .queryParam("channel", "email")
        .get("/api/v1/eligibility/{customerId}", "c-" + id)
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(TestJwt.token("service"))
        .queryParam("channel", "email")
        .get("/api/v1/eligibility/{customerId}", "c-" + id)
        .then()
        .statusCode(200);
  }

  @Test
  void badCampaignsGetProblemDocumentsNamingEachField() {
    var bad = new java.util.HashMap<String, Object>(emailCampaign("bad-" + run()));
    bad.put("rule", "features.purchaseCount >=");
    given()
        .contentType(ContentType.JSON)
        .body(bad)
        .post("/api/v1/campaigns/validate")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("rule"))
        .body("errors.find { it.field == 'rule' }.message", containsString("line 1, column"));
    bad.put("rule", "true");
    bad.put("channels", List.of("fax"));
    bad.put("controlPercent", -5);
    bad.put("startsAt", "2026-05-01T00:00:00Z");
    bad.put("endsAt", "2026-04-01T00:00:00Z");
    given()
        .contentType(ContentType.JSON)
        .body(bad)
        .post("/api/v1/campaigns")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("channels[0]", "controlPercent", "endsAt"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"id\": \"x\", ")
        .post("/api/v1/campaigns")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .contentType(ContentType.JSON)
        .body(emailCampaign("ok-" + run()))
        .post("/api/v1/campaigns/validate")
        .then()
        .statusCode(200)
        .body("valid", equalTo(true));
    given()
        .queryParam("channel", "fax")
        .get("/api/v1/eligibility/{id}", "x")
        .then()
        .statusCode(400);
    given()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "controlGroupPercent", -1, "controlGroupSalt", "s", "defaultTimezone", "Mars/Base"))
        .put("/api/v1/eligibility-settings")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("controlGroupPercent", "defaultTimezone"));
  }

  @Test
  void capsCountRealSendsAndSurviveLosingRedis() {
    String id = "capped-" + run();
    String c = "cap-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body(emailCampaign(id))
        .post("/api/v1/campaigns")
        .then()
        .statusCode(201);
    cacheProfile(c, "{}");
    assertThat(reason(eligibility(c, "email"), id)).isEqualTo("no email consent");

    cacheProfile(
        c, "{\"email\":{\"granted\":true,\"source\":\"signup\",\"at\":\"2026-01-01T00:00:00Z\"}}");
    assertThat(eligibility(c, "email").getList("eligible.id", String.class)).contains(id);

    // three e-mails sent by decisions (a control decision is not a send)
    for (int i = 0; i < 4; i++) {
      KafkaTopics.send(
          Topics.DECISIONS,
          c,
          decision(
              "d:" + c + ":" + i,
              c,
              "newsletter",
              Instant.now().minusSeconds(60 * (i + 1)),
              i == 3));
    }
    eventually(
        () -> "frequency cap 3/7d reached (email)".equals(reason(eligibility(c, "email"), id)),
        "the e-mail cap applies after three sends");

    // Redis loses the customer's contacts: rebuilt from PostgreSQL, the cap still holds
    redis.key().del("nextbest:contacts:" + c);
    assertThat(reason(eligibility(c, "email"), id)).isEqualTo("frequency cap 3/7d reached (email)");
    assertThat(redis.key().exists("nextbest:contacts:" + c)).isTrue();

    // do-not-contact, then off the list again
    String other = "dnc-" + UUID.randomUUID();
    cacheProfile(other, "{\"email\":{\"granted\":true}}");
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("channels", List.of("email"), "reason", "asked by phone"))
        .put("/api/v1/do-not-contact/{id}", other)
        .then()
        .statusCode(200)
        .body("channel", equalTo(List.of("email")));
    assertThat(reason(eligibility(other, "email"), id))
        .isEqualTo("on the do-not-contact list (email)");
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("channels", List.of("fax")))
        .put("/api/v1/do-not-contact/{id}", other)
        .then()
        .statusCode(400);

    // erasure: the tombstone removes contact history and the do-not-contact entry
    KafkaTopics.send(Topics.PROFILES, c, null);
    KafkaTopics.send(Topics.PROFILES, other, null);
    eventually(
        () -> eligibility(c, "email").getList("eligible.id", String.class).contains(id),
        "caps reset once the person's history is erased");
    eventually(
        () -> given().get("/api/v1/do-not-contact/{id}", other).jsonPath().getList("$").isEmpty(),
        "do-not-contact entry erased");

    // sends of the erased person still in flight are not recorded again; another person's are
    String marker = "marker-" + UUID.randomUUID();
    cacheProfile(
        marker,
        "{\"email\":{\"granted\":true,\"source\":\"signup\",\"at\":\"2026-01-01T00:00:00Z\"}}");
    for (String who : List.of(c, marker)) {
      for (int i = 10; i < 13; i++) {
        KafkaTopics.send(
            Topics.DECISIONS,
            who,
            decision(
                "d:" + who + ":" + i,
                who,
                "newsletter",
                Instant.now().minusSeconds(60 * i),
                false));
      }
    }
    eventually(
        () -> "frequency cap 3/7d reached (email)".equals(reason(eligibility(marker, "email"), id)),
        "another person's sends still count");
    assertThat(eligibility(c, "email").getList("eligible.id", String.class)).contains(id);
    // the lookups after the erase read PostgreSQL and left nothing keyed by the person's id
    assertThat(redis.key().exists("nextbest:contacts:" + c)).isFalse();
    // another person without sends still gets a cached (empty, marked) set
    String fresh = "fresh-" + UUID.randomUUID();
    cacheProfile(fresh, "{\"email\":{\"granted\":true}}");
    eligibility(fresh, "email");
    assertThat(redis.sortedSet(String.class).zrange("nextbest:contacts:" + fresh, 0, -1))
        .containsExactly("~loaded");
  }

  @Test
  void anEventTriggersAMomentForTheCampaignsItStarts() {
    String id = "low-stock-" + run();
    given()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "id", id,
                "name", "Low stock nudge",
                "channels", List.of("web"),
                "placement", "search-results",
                "priorityMode", "auto",
                "trigger",
                    Map.of(
                        "type",
                        "event",
                        "eventType",
                        "search",
                        "condition",
                        "event.stockLevel < 5"),
                "rule", "true"))
        .post("/api/v1/campaigns")
        .then()
        .statusCode(201);
    String c = "ev-" + UUID.randomUUID();
    String plenty = "e-" + UUID.randomUUID();
    String scarce = "e-" + UUID.randomUUID();
    try (var moments = KafkaTopics.watch(Topics.ELIGIBILITY)) {
      for (var e : Map.of(plenty, 40, scarce, 2).entrySet()) {
        KafkaTopics.send(
            Topics.EVENTS,
            c,
            ("{\"id\":\"%s\",\"type\":\"search\",\"customerId\":\"%s\",\"occurredAt\":\"%s\","
                    + "\"properties\":{\"query\":\"kettle\",\"stockLevel\":%d}}")
                .formatted(e.getKey(), c, Instant.now(), e.getValue()));
      }
      // the same scarce search two days ago (an import, a replay) is not this moment's trigger
      KafkaTopics.send(
          Topics.EVENTS,
          c,
          ("{\"id\":\"e-%s\",\"type\":\"search\",\"customerId\":\"%s\",\"occurredAt\":\"%s\","
                  + "\"properties\":{\"query\":\"kettle\",\"stockLevel\":2}}")
              .formatted(UUID.randomUUID(), c, Instant.now().minus(Duration.ofDays(2))));
      var found = moments.collectFor(r -> c.equals(r.key()), Duration.ofSeconds(8));
      assertThat(found).hasSize(1);
      assertThat(found.get(0).value())
          .contains("\"id\":\"m:e:" + scarce + "\"")
          .contains("\"campaignId\":\"" + id + "\"")
          .contains("\"placement\":\"search-results\"");
    }
    given()
        .get("/api/v1/eligibility/{id}", c)
        .then()
        .statusCode(200)
        .body("eligible.id", not(hasItem(id))); // waits for its event
  }

  @Test
  void aRedeliveredSendIsCachedEvenWhenItsRowWasAlreadyRecorded() {
    String id = "once-" + run();
    createCappedCampaign(id, 1, 30);
    String c = "resent-" + UUID.randomUUID();
    cacheProfile(c, "{\"email\":{\"granted\":true}}");
    String decision = decision("d:" + c, c, id, Instant.now().minusSeconds(60), false);
    KafkaTopics.send(Topics.DECISIONS, c, decision);
    eventually(
        () -> "campaign cap 1/30d reached".equals(reason(eligibility(c, "email"), id)),
        "the campaign cap applies after its send");

    // the cached set lost the send while keeping its marker (a write that failed half-way):
    // the set is still trusted, so the cap looks open
    redis.execute("ZREMRANGEBYSCORE", "nextbest:contacts:" + c, "-inf", "(+inf");
    assertThat(redis.sortedSet(String.class).zrange("nextbest:contacts:" + c, 0, -1))
        .containsExactly("~loaded");
    assertThat(eligibility(c, "email").getList("eligible.id", String.class)).contains(id);

    // the decision is delivered again: its row is already recorded, and the set gets it back
    KafkaTopics.send(Topics.DECISIONS, c, decision);
    eventually(
        () -> "campaign cap 1/30d reached".equals(reason(eligibility(c, "email"), id)),
        "the redelivered send is cached again");
  }

  @Test
  void aSendWrittenByAnyProcessDropsTheHeldContactsAtOnce() {
    String id = "held-" + run();
    createCappedCampaign(id, 1, 30);
    String c = "held-" + UUID.randomUUID();
    cacheProfile(c, "{\"email\":{\"granted\":true}}");
    eventually(() -> near.live(), "the contacts near cache is live");
    // the first answer rebuilds the set from PostgreSQL; the next one reads it and holds it
    assertThat(eligibility(c, "email").getList("eligible.id", String.class)).contains(id);
    assertThat(near.get(c)).isNull();
    assertThat(eligibility(c, "email").getList("eligible.id", String.class)).contains(id);
    assertThat(near.get(c)).isEmpty();
    assertThat(eligibility(c, "email").getList("eligible.id", String.class)).contains(id);

    // a send added to the set by another process: Redis tells this one, the copy goes
    redis
        .sortedSet(String.class)
        .zadd(
            "nextbest:contacts:" + c,
            Instant.now().minusSeconds(60).toEpochMilli(),
            "d:elsewhere|" + id + "|email");
    eventually(() -> near.get(c) == null, "the write drops the held copy");
    assertThat(reason(eligibility(c, "email"), id)).isEqualTo("campaign cap 1/30d reached");
    assertThat(near.get(c)).hasSize(1);

    // the set is lost: the copy goes with it, and the rebuild from PostgreSQL (which never
    // saw that send) is what counts again
    redis.key().del("nextbest:contacts:" + c);
    eventually(() -> near.get(c) == null, "the deletion drops the held copy");
    assertThat(eligibility(c, "email").getList("eligible.id", String.class)).contains(id);
  }

  @Test
  void aSendToASetRedisNoLongerHoldsLeavesAKeyThatExpires() {
    String c = "lapsed-" + UUID.randomUUID();
    KafkaTopics.send(
        Topics.DECISIONS,
        c,
        decision("d:" + c, c, "newsletter", Instant.now().minusSeconds(60), false));
    eventually(
        () -> redis.key().exists("nextbest:contacts:" + c), "the send is added to a new set");
    // the new set has no rebuild marker (it is rebuilt before it is trusted) but does expire
    assertThat(redis.sortedSet(String.class).zrange("nextbest:contacts:" + c, 0, -1))
        .doesNotContain("~loaded");
    assertThat(redis.key().ttl("nextbest:contacts:" + c)).isPositive();
  }
}
