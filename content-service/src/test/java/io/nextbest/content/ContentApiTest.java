package io.nextbest.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The frontend call and templates against real PostgreSQL, Redis and Kafka. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(DecisionServiceDouble.class)
class ContentApiTest {
  static final String SITE_KEY = "pk_test";
  @Inject RedisDataSource redis;
  @Inject Pool pool;

  /** Every call sends the test site key (frontend API) and an admin token (templates). */
  @BeforeEach
  void defaults() {
    RestAssured.requestSpecification =
        TestJwt.spec("admin", "marketer").addHeader("X-NextBest-Key", SITE_KEY).build();
  }

  @Test
  void frontendCallsNeedAKnownSiteKeyAnAllowedOriginAndStayUnderTheRateLimit()
      throws InterruptedException {
    RestAssured.requestSpecification = null;
    given()
        .get("/api/v1/content/{placement}", "home-hero")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("detail", containsString("X-NextBest-Key"));
    given()
        .queryParam("key", "pk_nobody")
        .get("/api/v1/content/{placement}", "home-hero")
        .then()
        .statusCode(401)
        .body("detail", containsString("not known"));
    // a browser on the key's origin gets CORS headers, another origin a 403 problem
    given()
        .queryParam("key", SITE_KEY)
        .header("Origin", "https://shop.example.com")
        .get("/api/v1/content/{placement}", "home-hero")
        .then()
        .statusCode(200)
        .header("Access-Control-Allow-Origin", "https://shop.example.com")
        .body("reason", equalTo("anonymous"));
    given()
        .queryParam("key", SITE_KEY)
        .header("Origin", "https://evil.example.net")
        .get("/api/v1/content/{placement}", "home-hero")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .header("Access-Control-Allow-Origin", nullValue());
    given()
        .header("Origin", "https://shop.example.com")
        .header("Access-Control-Request-Method", "POST")
        .options("/api/v1/content/events")
        .then()
        .statusCode(204)
        .header("Access-Control-Allow-Origin", "https://shop.example.com")
        .header("Access-Control-Allow-Headers", containsString("X-NextBest-Key"));
    given()
        .header("Origin", "https://evil.example.net")
        .header("Access-Control-Request-Method", "GET")
        .options("/api/v1/content/{placement}", "home-hero")
        .then()
        .statusCode(403);
    // pk_test_small may make 5 calls per second: a burst of 30 meets 429s with Retry-After, also
    // after Redis has lost its scripts
    assertBurstLimited();
    redis.execute("SCRIPT", "FLUSH");
    assertBurstLimited();
    // admin APIs of this service take a token, not a site key
    given()
        .auth()
        .none()
        .header("X-NextBest-Key", SITE_KEY)
        .get("/api/v1/templates")
        .then()
        .statusCode(401);
  }

  private static void assertBurstLimited() throws InterruptedException {
    // calls are counted per second: start at the beginning of a fresh one
    Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 20);
    int ok = 0;
    int limited = 0;
    for (int i = 0; i < 30; i++) {
      var r =
          given()
              .header("X-NextBest-Key", "pk_test_small")
              .get("/api/v1/content/{placement}", "home-hero");
      if (r.statusCode() == 429) {
        limited++;
        r.then()
            .contentType("application/problem+json")
            .header("Retry-After", "1")
            .body("detail", containsString("5 calls per second"));
      } else {
        r.then().statusCode(200);
        ok++;
      }
    }
    assertThat(ok).isGreaterThanOrEqualTo(5);
    assertThat(limited).isGreaterThan(0);
  }

  static String campaign() {
    return "camp-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Map<String, Object> template(String campaignId, String placement, List<Object> variants) {
    Map<String, Object> t = new HashMap<>();
    t.put("campaignId", campaignId);
    t.put("placement", placement);
    t.put("variants", variants);
    return t;
  }

  static Map<String, Object> variant(String id, Map<String, Map<String, String>> locales) {
    return Map.of("id", id, "locales", locales);
  }

  static Map<String, String> hero(String headline) {
    return Map.of("headline", headline, "body", "Body", "cta", "Go", "url", "/shop");
  }

  private long create(Map<String, Object> t) {
    return ((Number)
            given()
                .contentType(ContentType.JSON)
                .body(t)
                .post("/api/v1/templates")
                .then()
                .statusCode(201)
                .extract()
                .path("id"))
        .longValue();
  }

  private void profile(String customer, String name, String locale) {
    redis
        .value(String.class)
        .set(
            "nextbest:profile:" + customer,
            ("{\"id\":\"%s:1\",\"type\":\"profile.snapshot\",\"customerId\":\"%s\","
                    + "\"occurredAt\":\"2026-06-01T10:00:00Z\",\"version\":1,"
                    + "\"attributes\":{\"name\":\"%s\",\"locale\":\"%s\"},"
                    + "\"features\":{\"topCategories\":[\"garden\"]},"
                    + "\"predictions\":{\"clv12m\":812.5}}")
                .formatted(customer, customer, name, locale));
  }

  @Test
  void decidedCampaignIsRenderedInTheCustomersLanguageWithAnImpressionOnTheTopic() {
    String camp = campaign();
    create(
        template(
            camp,
            "home-hero",
            List.of(
                variant(
                    "a",
                    Map.of(
                        "en",
                            hero(
                                "Hello {profile.firstName ?: 'friend'}, {profile.topCategory} deals"),
                        "es", hero("Hola {profile.firstName ?: 'amigo'} ({profile.clvTier})"))))));
    String c = "c-" + UUID.randomUUID();
    profile(c, "Grace Hopper", "es-MX");
    DecisionServiceDouble.ANSWERS.put(c, new DecisionServiceDouble.Answer(camp, false, 0, 200));
    awaitServed(camp);
    try (var outcomes = KafkaTopics.watch(Topics.OUTCOMES)) {
      String decisionId =
          served(c, "home-hero", camp)
              .then()
              .statusCode(200)
              .body("campaignId", equalTo(camp))
              .body("variantId", equalTo("a"))
              .body("locale", equalTo("es"))
              .body("reason", equalTo("campaign"))
              .body("fields.headline", equalTo("Hola Grace (high)"))
              .body("html", containsString("<h2>Hola Grace (high)</h2>"))
              .body("html", containsString("href=\"/shop\""))
              .extract()
              .path("decisionId");
      var seen =
          outcomes.await(
              r -> r.value().contains("\"impression:" + decisionId + "\""),
              1,
              Duration.ofSeconds(20));
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0).key()).isEqualTo(c);
      assertThat(seen.get(0).value()).contains("\"variantId\":\"a\"").contains("\"locale\":\"es\"");
    }
    given()
        .queryParam("customerId", c)
        .queryParam("locale", "en-GB")
        .get("/api/v1/content/{placement}", "home-hero")
        .then()
        .body("locale", equalTo("en"))
        .body("fields.headline", equalTo("Hello Grace, garden deals"));

    // a site whose key does not trust unsigned ids: without the backend's signature the caller is
    // an anonymous visitor (no name, no decision of the customer's), with it the customer
    RestAssured.requestSpecification = null;
    for (String sig : java.util.Arrays.asList(null, "00".repeat(32), "not-hex")) {
      var unsigned =
          given()
              .queryParam("key", "pk_test_signed")
              .queryParam("customerId", c)
              .queryParam("locale", "es-MX");
      if (sig != null) {
        unsigned.queryParam("sig", sig);
      }
      unsigned
          .get("/api/v1/content/{placement}", "home-hero")
          .then()
          .statusCode(200)
          .body("campaignId", nullValue())
          .body("fields.headline", not(containsString("Grace")));
    }
    String signature =
        io.nextbest.content.rest.CustomerSignature.hex("test-secret-for-signing-ids", c);
    String shown =
        given()
            .queryParam("key", "pk_test_signed")
            .queryParam("customerId", c)
            .queryParam("locale", "es-MX")
            .queryParam("sig", signature)
            .get("/api/v1/content/{placement}", "home-hero")
            .then()
            .statusCode(200)
            .body("campaignId", equalTo(camp))
            .body("fields.headline", equalTo("Hola Grace (high)"))
            .extract()
            .path("decisionId");
    // an event about it acts as the same customer only with the same signature
    String click =
        "{\"id\":\"k-%s\",\"type\":\"click\",\"decisionId\":\"%s\",\"customerId\":\"%s\"}"
            .formatted(c, shown, c);
    given()
        .queryParam("key", "pk_test_signed")
        .contentType(ContentType.JSON)
        .body(click)
        .post("/api/v1/content/events")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("decisionId"));
    given()
        .queryParam("key", "pk_test_signed")
        .queryParam("sig", signature)
        .contentType(ContentType.JSON)
        .body(click)
        .post("/api/v1/content/events")
        .then()
        .statusCode(202);
    // a client cannot claim the verified id itself
    given()
        .queryParam("key", "pk_test_signed")
        .queryParam("customerId", c)
        .header("X-NextBest-Verified-Customer", c)
        .get("/api/v1/content/{placement}", "home-hero")
        .then()
        .body("fields.headline", not(containsString("Grace")));
  }

  @Test
  void noneControlSlowOrFailingDecisionsGetThePlacementDefault() {
    String none = "c-" + UUID.randomUUID();
    String control = "c-" + UUID.randomUUID();
    String slow = "c-" + UUID.randomUUID();
    String down = "c-" + UUID.randomUUID();
    DecisionServiceDouble.ANSWERS.put(none, new DecisionServiceDouble.Answer(null, false, 0, 200));
    DecisionServiceDouble.ANSWERS.put(
        control, new DecisionServiceDouble.Answer("welcome", true, 0, 200));
    DecisionServiceDouble.ANSWERS.put(
        slow, new DecisionServiceDouble.Answer("welcome", false, 3000, 200));
    DecisionServiceDouble.ANSWERS.put(down, new DecisionServiceDouble.Answer(null, false, 0, 503));
    Map<String, String> reasons =
        Map.of(
            none,
            "none",
            control,
            "control",
            slow,
            "decision-unavailable",
            down,
            "decision-unavailable");
    reasons.forEach(
        (customer, reason) ->
            given()
                .queryParam("customerId", customer)
                .queryParam("locale", "es-MX")
                .get("/api/v1/content/{placement}", "cart")
                .then()
                .statusCode(200)
                .body("campaignId", nullValue())
                .body("variantId", equalTo("default"))
                .body("reason", equalTo(reason))
                .body("fields.headline", equalTo("Casi listo")));
    given()
        .get("/api/v1/content/{placement}", "home-hero")
        .then()
        .statusCode(200)
        .body("reason", equalTo("anonymous"))
        .body("decisionId", nullValue())
        .body("fields.headline", equalTo("This week's picks"));
  }

  @Test
  void clicksTeachTheVariantOnceEvenWhenReplayed() {
    String camp = campaign();
    long id =
        create(
            template(
                camp,
                "product-banner",
                List.of(
                    variant("a", Map.of("en", hero("A"))), variant("b", Map.of("en", hero("B"))))));
    String c = "c-" + UUID.randomUUID();
    DecisionServiceDouble.ANSWERS.put(c, new DecisionServiceDouble.Answer(camp, false, 0, 200));
    awaitServed(camp);
    var served =
        served(c, "product-banner", camp)
            .then()
            .statusCode(200)
            .body("templateId", equalTo((int) id))
            .extract();
    String decisionId = served.path("decisionId");
    String variantId = served.path("variantId");
    await(() -> stats(id, variantId)[0] == 1, "impression counted");
    Map<String, Object> click =
        Map.of(
            "id",
            "click-" + decisionId,
            "type",
            "click",
            "decisionId",
            decisionId,
            "customerId",
            c);
    for (int i = 0; i < 3; i++) {
      given()
          .contentType(ContentType.JSON)
          .body(click)
          .post("/api/v1/content/events")
          .then()
          .statusCode(202)
          .body("id", equalTo("content:click-" + decisionId));
    }
    await(() -> stats(id, variantId)[1] == 1, "click counted");
    // another customer cannot click or convert on this decision, nor anyone on one never shown
    for (var foreign :
        List.of(
            Map.of("id", "x-" + decisionId, "type", "click", "decisionId", decisionId),
            Map.of("id", "y-" + decisionId, "type", "click", "decisionId", "d:never-shown"))) {
      Map<String, Object> event = new java.util.HashMap<>(foreign);
      event.put("customerId", foreign.get("decisionId").equals(decisionId) ? "intruder" : c);
      given()
          .contentType(ContentType.JSON)
          .body(event)
          .post("/api/v1/content/events")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].field", equalTo("decisionId"));
    }
    sleep(Duration.ofSeconds(2));
    assertThat(stats(id, variantId)).containsExactly(1L, 1L, 0L);
    given()
        .get("/api/v1/impressions/{d}", decisionId)
        .then()
        .statusCode(200)
        .body("variantId", equalTo(variantId))
        .body("clicked", equalTo(true))
        .body("converted", equalTo(false));
    given()
        .get("/api/v1/templates/{id}/stats", id)
        .then()
        .body("find { it.variantId == '" + variantId + "' }.clicks", equalTo(1))
        .body("find { it.variantId == '" + variantId + "' }.clickRate", equalTo(1.0f));
    given().get("/api/v1/impressions/{d}", "d:nothing").then().statusCode(404);
  }

  @Test
  void templatesAreCheckedWhenSavedWithLineAndColumn() {
    String camp = campaign();
    given()
        .contentType(ContentType.JSON)
        .body(
            template(
                camp,
                "home-hero",
                List.of(variant("a", Map.of("en", hero("Hi {#if profile.name}"))))))
        .post("/api/v1/templates")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("variants[0].locales.en.headline"))
        .body("errors[0].message", containsString("line 1"));
    given()
        .contentType(ContentType.JSON)
        .body(
            template(
                camp,
                "home-hero",
                List.of(variant("a", Map.of("en", hero("Hi {profile.shoeSize}"))))))
        .post("/api/v1/templates")
        .then()
        .statusCode(400)
        .body("errors[0].message", containsString("line 1, column"))
        .body("errors[0].message", containsString("undefined variable 'profile.shoeSize'"));
    for (String hostile :
        List.of(
            "{config:quarkus.datasource.password}",
            "{inject:pool}",
            "{#include secrets /}",
            "{#eval profile.name /}",
            "{profile.name.raw}",
            "{profile.getClass()}",
            "{java.lang.Runtime}")) {
      given()
          .contentType(ContentType.JSON)
          .body(template(camp, "home-hero", List.of(variant("a", Map.of("en", hero(hostile))))))
          .post("/api/v1/templates/validate")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    given()
        .contentType(ContentType.JSON)
        .body(
            template(
                camp, "home-hero", List.of(variant("a", Map.of("en", Map.of("headline", "x"))))))
        .post("/api/v1/templates")
        .then()
        .statusCode(400)
        .body("errors.message", hasItem(containsString("missing field 'body'")));
    given()
        .contentType(ContentType.JSON)
        .body(template(camp, "no-such-slot", List.of(variant("a", Map.of("en", hero("x"))))))
        .post("/api/v1/templates")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("placement"));
    given()
        .contentType(ContentType.JSON)
        .body(template(camp, "home-hero", List.of(variant("a", Map.of("es", hero("x"))))))
        .post("/api/v1/templates")
        .then()
        .statusCode(400)
        .body("errors[0].message", containsString("default locale 'en'"));
    given()
        .contentType(ContentType.JSON)
        .body(
            template(
                camp,
                "home-hero",
                List.of(
                    variant("a", Map.of("en", hero("{#for r in recs}{r.name}{r_count}{/for}"))))))
        .post("/api/v1/templates/validate")
        .then()
        .statusCode(200)
        .body("valid", equalTo(true));
    // a loop bomb was once accepted: loops over numbers are bounded, nesting too
    for (String bomb :
        List.of(
            "{#for i in 1000000}{#for j in 1000000}x{/for}{/for}",
            "{#for i in 101}x{/}",
            "{#for i in profile.orders}x{/for}",
            "{#for a in recs}{#for b in recs}{#for c in recs}x{/for}{/for}{/for}")) {
      given()
          .contentType(ContentType.JSON)
          .body(template(camp, "home-hero", List.of(variant("a", Map.of("en", hero(bomb))))))
          .post("/api/v1/templates/validate")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body(
              "errors[0].message",
              anyOf(
                  containsString("repeats more than 100"),
                  containsString("is not allowed"),
                  containsString("nest at most 2")));
    }
    given()
        .contentType(ContentType.JSON)
        .body(
            template(
                camp,
                "home-hero",
                List.of(
                    variant("a", Map.of("en", hero("{#for i in 3}{#each recs}x{/each}{/for}"))))))
        .post("/api/v1/templates/validate")
        .then()
        .statusCode(200);
  }

  @Test
  void templatesAreVersionedAndCrudWorks() {
    String camp = campaign();
    long id = create(template(camp, "cart", List.of(variant("a", Map.of("en", hero("One"))))));
    given().get("/api/v1/templates/{id}", id).then().statusCode(200).body("version", equalTo(1));
    given()
        .contentType(ContentType.JSON)
        .body(template(camp, "cart", List.of(variant("a", Map.of("en", hero("dup"))))))
        .post("/api/v1/templates")
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
    Map<String, Object> update =
        template(camp, "cart", List.of(variant("a", Map.of("en", hero("Two")))));
    update.put("version", 1);
    given()
        .contentType(ContentType.JSON)
        .body(update)
        .put("/api/v1/templates/{id}", id)
        .then()
        .statusCode(200)
        .body("version", equalTo(2));
    given()
        .contentType(ContentType.JSON)
        .body(update)
        .put("/api/v1/templates/{id}", id)
        .then()
        .statusCode(409)
        .body("detail", containsString("version 2"));
    given()
        .queryParam("campaignId", camp)
        .get("/api/v1/templates")
        .then()
        .body("size()", equalTo(1))
        .body("[0].variants[0].locales.en.headline", equalTo("Two"));
    given().delete("/api/v1/templates/{id}", id).then().statusCode(204);
    given().get("/api/v1/templates/{id}", id).then().statusCode(404);
    given().delete("/api/v1/templates/{id}", id).then().statusCode(404);
  }

  @Test
  void recommendationsComeFromCoPurchasesAndTheHistoryIsErased() {
    String a = "sku-" + UUID.randomUUID();
    String b = "sku-" + UUID.randomUUID();
    String buyer = "c-" + UUID.randomUUID();
    String other = "c-" + UUID.randomUUID();
    for (int i = 0; i < 2; i++) {
      purchase(other, "o" + i + other, a, b);
    }
    purchase(buyer, "o-" + buyer, a);
    purchase(buyer, "o-" + buyer, a); // the same event again: counted once
    await(
        () ->
            b.equals(
                given()
                    .get("/api/v1/recommendations/{c}", buyer)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("[0].item")),
        "co-purchased item recommended");
    given()
        .get("/api/v1/recommendations/{c}", buyer)
        .then()
        .body("[0].name", equalTo("Name of " + b))
        .body("[0].source", equalTo("co-purchase"))
        .body("item", org.hamcrest.Matchers.not(hasItem(a)));
    assertThat(count("select orders from item_stats where item = $1", a)).isEqualTo(3);
    KafkaTopics.send(
        Topics.PRIVACY,
        buyer,
        "{\"id\":\"e-%s\",\"type\":\"privacy.erase\",\"customerId\":\"%s\",\"occurredAt\":\"%s\"}"
            .formatted(buyer, buyer, Instant.now()));
    await(
        () -> count("select count(*) from customer_items where customer_id = $1", buyer) == 0,
        "history erased");

    // the person's purchase and impression still in flight are not stored again; the records
    // behind them on the same partitions (someone else's) are
    String after = "c-" + UUID.randomUUID();
    purchaseOn(buyer, buyer, "late-" + buyer, a, b);
    purchaseOn(buyer, after, "o-" + after, a);
    long template = 900_000_000L + (System.nanoTime() % 1_000_000);
    for (String who : List.of(buyer, after)) {
      KafkaTopics.send(
          Topics.OUTCOMES,
          buyer,
          ("{\"id\":\"impression:d-%s\",\"type\":\"impression\",\"customerId\":\"%s\","
                  + "\"occurredAt\":\"%s\",\"decisionId\":\"d-%s\",\"content\":{\"placement\":"
                  + "\"home-hero\",\"templateId\":%d,\"variantId\":\"a\",\"locale\":\"en\"}}")
              .formatted(who, who, Instant.now(), who, template));
    }
    await(
        () ->
            count("select count(*) from customer_items where customer_id = $1", after) == 1
                && count("select count(*) from impressions where customer_id = $1", after) == 1,
        "the later records stored");
    assertThat(count("select count(*) from customer_items where customer_id = $1", buyer)).isZero();
    assertThat(count("select count(*) from impressions where customer_id = $1", buyer)).isZero();
    assertThat(stats(template, "a")[0]).isEqualTo(1);
  }

  @Test
  void badInputIsAProblemNeverA500() {
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
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("id", "x", "type", "like", "decisionId", "d", "customerId", "c"))
        .post("/api/v1/content/events")
        .then()
        .statusCode(400)
        .body("errors[0].field", containsString("type"));
    // a conversion worth 1.8e308 was once accepted and reached the learner's rewards
    for (String value : List.of("1.8e308", "100000.01")) {
      given()
          .contentType(ContentType.JSON)
          .body(
              "{\"id\":\"x\",\"type\":\"conversion\",\"decisionId\":\"d\","
                  + "\"customerId\":\"c\",\"value\":"
                  + value
                  + "}")
          .post("/api/v1/content/events")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].field", equalTo("value"));
    }
    given()
        .contentType(ContentType.JSON)
        .body("{\"id\":")
        .post("/api/v1/content/events")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("id", "x", "type", "click", "decisionId", "d", "customerId", "c", "value", 5))
        .post("/api/v1/content/events")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("value"));
  }

  @Test
  void localeChainsAreData() {
    given()
        .get("/api/v1/locales/{tag}/chain", "es-MX")
        .then()
        .body("chain", equalTo(List.of("es-MX", "es", "en")))
        .body("known", equalTo(true));
    given()
        .get("/api/v1/locales/{tag}/chain", "es-US")
        .then()
        .body("chain", equalTo(List.of("es-US", "es-MX", "es", "en")));
    given()
        .get("/api/v1/locales/{tag}/chain", "xx-YY")
        .then()
        .body("chain", equalTo(List.of("xx-YY", "xx", "en")))
        .body("known", equalTo(false));
    assertThat(count("select count(*) from locales", null)).isGreaterThanOrEqualTo(50);
    given().get("/hello").then().statusCode(200).body(equalTo("hello"));
    given()
        .get("/api/v1/placements")
        .then()
        .body("name", hasItem("home-hero"))
        .body("[0].budgetMs", notNullValue());
  }

  private static void purchase(String customer, String eventId, String... items) {
    purchaseOn(customer, customer, eventId, items);
  }

  /** A purchase event of {@code customer}, sent on the partition of {@code key}. */
  private static void purchaseOn(String key, String customer, String eventId, String... items) {
    StringBuilder list = new StringBuilder();
    for (String i : items) {
      list.append(list.length() == 0 ? "" : ",")
          .append(
              "{\"sku\":\"%s\",\"name\":\"Name of %s\",\"price\":2.5,\"quantity\":1}"
                  .formatted(i, i));
    }
    KafkaTopics.send(
        Topics.EVENTS,
        key,
        ("{\"id\":\"%s\",\"type\":\"purchase\",\"customerId\":\"%s\",\"occurredAt\":\"%s\","
                + "\"properties\":{\"orderId\":\"%s\",\"amount\":5,\"currency\":\"EUR\",\"items\":[%s]}}")
            .formatted(eventId, customer, Instant.now(), eventId, list));
  }

  private long[] stats(long templateId, String variantId) {
    var rows =
        pool.preparedQuery(
                "select impressions, clicks, conversions from variant_stats where template_id = $1"
                    + " and variant_id = $2")
            .execute(Tuple.of(templateId, variantId))
            .await()
            .indefinitely();
    if (rows.size() == 0) {
      return new long[3];
    }
    var r = rows.iterator().next();
    return new long[] {r.getLong(0), r.getLong(1), r.getLong(2)};
  }

  private long count(String sql, String arg) {
    var q = pool.preparedQuery(sql);
    var rows = (arg == null ? q.execute() : q.execute(Tuple.of(arg))).await().indefinitely();
    return rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
  }

  /**
   * The placement's content for the customer once it shows the campaign: the first calls of a cold
   * JVM may overrun the placement's latency budget and get the default content instead.
   */
  private static io.restassured.response.Response served(
      String customer, String placement, String campaignId) {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    io.restassured.response.Response r;
    do {
      r = given().queryParam("customerId", customer).get("/api/v1/content/{placement}", placement);
      if (r.statusCode() == 200 && campaignId.equals(r.path("campaignId"))) {
        return r;
      }
      sleep(Duration.ofMillis(100));
    } while (System.nanoTime() < end);
    throw new AssertionError("never served campaign " + campaignId + ": " + r.asString());
  }

  /** Waits until every replica would serve the campaign's new template (catalogue refresh). */
  private static void awaitServed(String campaignId) {
    await(
        () ->
            given()
                    .queryParam("campaignId", campaignId)
                    .get("/api/v1/templates")
                    .then()
                    .extract()
                    .jsonPath()
                    .getList("id")
                    .size()
                == 1,
        "template stored");
  }

  private static void await(Supplier<Boolean> condition, String what) {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      if (condition.get()) {
        return;
      }
      sleep(Duration.ofMillis(200));
    }
    throw new AssertionError("timed out waiting: " + what);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
