package io.nextbest.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The marketer's preview of a template for a chosen customer: rendered as the frontend call would,
 * against real PostgreSQL, Redis and Kafka, and leaving nothing behind.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(DecisionServiceDouble.class)
@QuarkusTestResource(ProfileServiceDouble.class)
class TemplatePreviewTest {
  @Inject RedisDataSource redis;
  @Inject Pool pool;

  @BeforeEach
  void defaults() {
    RestAssured.requestSpecification =
        TestJwt.spec("marketer").addHeader("X-NextBest-Key", ContentApiTest.SITE_KEY).build();
  }

  private long create(String campaign) {
    Map<String, Object> t =
        ContentApiTest.template(
            campaign,
            "product-banner",
            List.of(
                ContentApiTest.variant(
                    "a",
                    Map.of(
                        "en", ContentApiTest.hero("Hi {profile.firstName ?: 'there'}"),
                        "es", ContentApiTest.hero("Hola {profile.firstName ?: 'amigo'}"))),
                ContentApiTest.variant(
                    "b",
                    Map.of(
                        "en",
                        ContentApiTest.hero(
                            "{profile.firstName ?: 'You'}, <b>{profile.city}</b>")))));
    return ((Number)
            given()
                .auth()
                .oauth2(TestJwt.token("admin"))
                .contentType(ContentType.JSON)
                .body(t)
                .post("/api/v1/templates")
                .then()
                .statusCode(201)
                .extract()
                .path("id"))
        .longValue();
  }

  private void profile(String customer, String name, String locale, String city) {
    redis
        .value(String.class)
        .set(
            "nextbest:profile:" + customer,
            ("{\"id\":\"%s:1\",\"type\":\"profile.snapshot\",\"customerId\":\"%s\","
                    + "\"occurredAt\":\"2026-06-01T10:00:00Z\",\"version\":1,"
                    + "\"attributes\":{\"name\":\"%s\",\"locale\":\"%s\",\"city\":\"%s\"},"
                    + "\"features\":{},\"predictions\":{}}")
                .formatted(customer, customer, name, locale, city));
  }

  @Test
  void rendersAVariantForTheCustomerInTheirLanguageAndEscapesTheirValues() {
    String camp = "prev-" + UUID.randomUUID().toString().substring(0, 8);
    long id = create(camp);
    String c = "c-" + UUID.randomUUID();
    profile(c, "Ada Lovelace", "es-MX", "<script>x</script>");
    awaitInCatalogue(id, c);
    // the customer's own locale by its fallback chain (es-MX → es)
    given()
        .queryParam("customerId", c)
        .get("/api/v1/templates/{id}/preview", id)
        .then()
        .statusCode(200)
        .body("variantId", equalTo("a"))
        .body("variants", hasItems("a", "b"))
        .body("locale", equalTo("es"))
        .body("fields.headline", equalTo("Hola Ada"))
        .body("html", containsString("<h2>Hola Ada</h2>"))
        .body("error", nullValue());
    // a chosen variant and locale; the profile's text is escaped in the HTML fragment
    given()
        .queryParam("customerId", c)
        .queryParam("variant", "b")
        .queryParam("locale", "en-GB")
        .get("/api/v1/templates/{id}/preview", id)
        .then()
        .statusCode(200)
        .body("locale", equalTo("en"))
        .body("html", containsString("&lt;script&gt;x&lt;/script&gt;"))
        .body("html", containsString("&lt;b&gt;"));
  }

  @Test
  void unknownTemplateCustomerOrVariantAndBadParametersAreProblems() {
    String camp = "prev-" + UUID.randomUUID().toString().substring(0, 8);
    long id = create(camp);
    String c = "c-" + UUID.randomUUID();
    profile(c, "Ada Lovelace", "en", "London");
    awaitInCatalogue(id, c);
    given()
        .queryParam("customerId", c)
        .get("/api/v1/templates/{id}/preview", 987_654_321L)
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", containsString("No template"));
    // neither Redis nor profile-service (its double answers 404) knows this customer
    given()
        .queryParam("customerId", "nobody-" + UUID.randomUUID())
        .get("/api/v1/templates/{id}/preview", id)
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", containsString("No customer"));
    given()
        .queryParam("customerId", c)
        .queryParam("variant", "zzz")
        .get("/api/v1/templates/{id}/preview", id)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("variant"));
    given().get("/api/v1/templates/{id}/preview", id).then().statusCode(400);
    given()
        .queryParam("customerId", "x".repeat(201))
        .get("/api/v1/templates/{id}/preview", id)
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .queryParam("customerId", c)
        .queryParam("locale", "not a locale")
        .get("/api/v1/templates/{id}/preview", id)
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .queryParam("customerId", c)
        .get("/api/v1/templates/{id}/preview", "abc")
        .then()
        .statusCode(404);
    // a token without a marketer or admin role may not preview
    given()
        .auth()
        .oauth2(TestJwt.token("service"))
        .queryParam("customerId", c)
        .get("/api/v1/templates/{id}/preview", id)
        .then()
        .statusCode(403);
  }

  @Test
  void aPreviewLeavesNoImpressionStatisticOrOutcomeBehind() {
    String camp = "prev-" + UUID.randomUUID().toString().substring(0, 8);
    long id = create(camp);
    String c = "c-" + UUID.randomUUID();
    profile(c, "Ada Lovelace", "en", "London");
    awaitInCatalogue(id, c);
    DecisionServiceDouble.ANSWERS.put(c, new DecisionServiceDouble.Answer(camp, false, 0, 200));
    try (var outcomes = KafkaTopics.watch(Topics.OUTCOMES)) {
      for (String variant : List.of("a", "b", "a")) {
        given()
            .queryParam("customerId", c)
            .queryParam("variant", variant)
            .get("/api/v1/templates/{id}/preview", id)
            .then()
            .statusCode(200);
      }
      // then one real frontend call for the same customer: its impression travels on the same
      // partition after anything the previews could have published
      String decisionId =
          given()
              .queryParam("customerId", c)
              .get("/api/v1/content/{placement}", "product-banner")
              .then()
              .statusCode(200)
              .body("templateId", equalTo((int) id))
              .extract()
              .path("decisionId");
      var forCustomer =
          outcomes.await(
              r -> c.equals(r.key()) && r.value().contains(decisionId), 1, Duration.ofSeconds(20));
      assertThat(forCustomer).hasSize(1);
      assertThat(outcomes.await(r -> c.equals(r.key()), 1, Duration.ZERO)).hasSize(1);
    }
    await(() -> count("impressions", id) == 1, "the real impression stored");
    assertThat(count("impressions", id)).isEqualTo(1);
    assertThat(sum("variant_stats", id)).isEqualTo(1);
    assertThat(sum("variant_daily", id)).isEqualTo(1);
    given()
        .get("/api/v1/templates/{id}/stats", id)
        .then()
        .statusCode(200)
        .body("impressions.sum()", equalTo(1));
  }

  /** Waits until the catalogue serves the new template (it reloads every 2 s). */
  private static void awaitInCatalogue(long id, String customer) {
    await(
        () ->
            given()
                    .queryParam("customerId", customer)
                    .get("/api/v1/templates/{id}/preview", id)
                    .statusCode()
                == 200,
        "template in the catalogue");
  }

  private long count(String table, long templateId) {
    return pool.preparedQuery("select count(*) from " + table + " where template_id = $1")
        .execute(Tuple.of(templateId))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong(0);
  }

  private long sum(String table, long templateId) {
    return pool.preparedQuery(
            "select coalesce(sum(impressions), 0) from " + table + " where template_id = $1")
        .execute(Tuple.of(templateId))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong(0);
  }

  static void await(Supplier<Boolean> condition, String what) {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      if (condition.get()) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError("timed out waiting: " + what);
  }
}
