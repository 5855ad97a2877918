package io.nextbest.profile;

import static io.nextbest.profile.ProfileFeaturesTest.at;
import static io.nextbest.profile.ProfileFeaturesTest.ingest;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Rule segments in CEL and the five fitted marketing segments, kept current on every change. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class SegmentsTest {

  static void eventually(BooleanSupplier condition, String what) {
    Instant end = Instant.now().plusSeconds(30);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("not within 30 s: " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static String purchase(String id, String customer, Instant when, double amount) {
    return purchase(id, customer, when, amount, "tea");
  }

  static String purchase(String id, String customer, Instant when, double amount, String category) {
    return at(
        id,
        customer,
        "purchase",
        when,
        "{\"orderId\":\"%s\",\"amount\":%s,\"currency\":\"EUR\",\"items\":[{\"sku\":\"S\",\"category\":\"%s\",\"price\":%s,\"quantity\":1}]}"
            .formatted(id, amount, category, amount));
  }

  static JsonPath segment(String id) {
    return given().get("/api/v1/segments/{id}", id).then().statusCode(200).extract().jsonPath();
  }

  static List<String> members(String segment) {
    List<String> all = new ArrayList<>();
    String after = null;
    do {
      var req = given().queryParam("limit", 50);
      if (after != null) {
        req = req.queryParam("after", after);
      }
      JsonPath page =
          req.get("/api/v1/segments/{id}/members", segment)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      all.addAll(page.getList("members.customerId", String.class));
      after = page.getString("next");
    } while (after != null);
    return all;
  }

  @Test
  void aRuleSegmentFollowsEveryProfileChangeAndPublishesEntryAndExit() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String seg = "tea-lovers-" + run;
    String tea = "tea-" + run;
    String c = "s-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "id",
                seg,
                "name",
                "Tea lovers",
                "rule",
                "features.purchaseCount >= 2 && '"
                    + tea
                    + "' in features.topCategories"
                    + " && !(has(attributes.country) && attributes.country == 'FR')"))
        .post("/api/v1/segments")
        .then()
        .statusCode(201)
        .body("kind", equalTo("rule"))
        .body("members", equalTo(0));

    Instant now = Instant.now();
    try (var events = KafkaTopics.watch(Topics.EVENTS)) {
      ingest(EventIngestTest.batch(purchase(c + "-1", c, now.minus(9, ChronoUnit.DAYS), 12, tea)));
      given().get("/api/v1/profiles/{id}", c).then().body("segments", not(hasItem(seg)));

      ingest(EventIngestTest.batch(purchase(c + "-2", c, now.minus(2, ChronoUnit.DAYS), 18, tea)));
      given().get("/api/v1/profiles/{id}", c).then().body("segments", hasItem(seg));
      assertThat(members(seg)).containsExactly(c);
      var entered =
          events.await(
              r ->
                  c.equals(r.key())
                      && r.value().contains("\"type\":\"segment_entered\"")
                      && r.value().contains(seg),
              1,
              Duration.ofSeconds(20));
      assertThat(entered).hasSize(1);
      assertThat(entered.get(0).value()).contains("\"segmentId\":\"" + seg + "\"");

      // an attribute change moves the customer out again
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("attributes", Map.of("country", "FR")))
          .patch("/api/v1/profiles/{id}", c)
          .then()
          .statusCode(200)
          .body("segments", not(hasItem(seg)));
      assertThat(members(seg)).isEmpty();
      var exited =
          events.await(
              r ->
                  c.equals(r.key())
                      && r.value().contains("\"type\":\"segment_exited\"")
                      && r.value().contains(seg),
              1,
              Duration.ofSeconds(20));
      assertThat(exited).hasSize(1);
    }
    given().delete("/api/v1/segments/{id}", seg).then().statusCode(204);
    given().get("/api/v1/segments/{id}", seg).then().statusCode(404);
  }

  @Test
  void aNewSegmentIsFilledFromTheCustomersAlreadyKnownAndErasureLeavesIt() {
    String c = "s-" + UUID.randomUUID();
    String marker = UUID.randomUUID().toString();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("attributes", Map.of("traits", Map.of("campaignCode", marker))))
        .put("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200);
    String seg = "code-" + marker.substring(0, 8);
    given()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "id",
                seg,
                "name",
                "Campaign code",
                "rule",
                "attributes.traits.campaignCode == '" + marker + "'"))
        .post("/api/v1/segments")
        .then()
        .statusCode(201);
    eventually(() -> members(seg).contains(c), "the existing customer joins " + seg);
    assertThat(segment(seg).getInt("members")).isEqualTo(1);
    given()
        .get("/api/v1/profiles/{id}/export", c)
        .then()
        .statusCode(200)
        .body("segments", hasItem(seg));

    given().delete("/api/v1/profiles/{id}", c).then().statusCode(204);
    assertThat(members(seg)).isEmpty();
    given().delete("/api/v1/segments/{id}", seg).then().statusCode(204);
  }

  @Test
  void badRulesAndRequestsGetProblems() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("name", "Broken", "rule", "features.frequency >"))
        .post("/api/v1/segments")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("rule"))
        .body("errors[0].message", containsString("column"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("name", "Not boolean", "rule", "features.frequency + 1"))
        .post("/api/v1/segments")
        .then()
        .statusCode(400)
        .body("errors[0].message", containsString("bool"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("name", "No rule"))
        .post("/api/v1/segments")
        .then()
        .statusCode(400)
        .body("errors[0].field", containsString("rule"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("id", "Bad Id!", "name", "x", "rule", "true"))
        .post("/api/v1/segments")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("id"));
    given().get("/api/v1/segments/{id}/members", "nope").then().statusCode(404);
    given()
        .queryParam("limit", 5000)
        .get("/api/v1/segments/{id}/members", "loyal")
        .then()
        .statusCode(400);
    given().delete("/api/v1/segments/{id}", "loyal").then().statusCode(409);
  }

  /** Five groups of clearly different customers land in the five segments they resemble. */
  @Test
  void kMeansLabelsTheFiveMarketingSegments() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Instant now = Instant.now();
    Map<String, String> intended = new HashMap<>();
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // high value: a dozen large orders over two years, bought last week
      String hv = "km-" + run + "-hv-" + i;
      intended.put(hv, "high-value");
      for (int k = 0; k < 12; k++) {
        events.add(purchase(hv + "-" + k, hv, now.minus(7 + 60L * k, ChronoUnit.DAYS), 900 + i));
      }
      // loyal: many small orders for three years, still buying
      String lo = "km-" + run + "-lo-" + i;
      intended.put(lo, "loyal");
      for (int k = 0; k < 30; k++) {
        events.add(purchase(lo + "-" + k, lo, now.minus(3 + 36L * k, ChronoUnit.DAYS), 30 + i));
      }
      // at risk: bought regularly years ago, silent for two years
      String ar = "km-" + run + "-ar-" + i;
      intended.put(ar, "at-risk");
      for (int k = 0; k < 6; k++) {
        events.add(purchase(ar + "-" + k, ar, now.minus(730 + 30L * k, ChronoUnit.DAYS), 60 + i));
      }
      // new / exploring: one first order a few days ago
      String nw = "km-" + run + "-nw-" + i;
      intended.put(nw, "new-exploring");
      events.add(purchase(nw + "-0", nw, now.minus(2 + i % 5, ChronoUnit.DAYS), 35 + i));
      // opportunity: a few small orders in the last months
      String op = "km-" + run + "-op-" + i;
      intended.put(op, "opportunity");
      for (int k = 0; k < 3; k++) {
        events.add(purchase(op + "-" + k, op, now.minus(10 + 40L * k, ChronoUnit.DAYS), 20 + i));
      }
    }
    for (int from = 0; from < events.size(); from += 500) {
      ingest(
          EventIngestTest.batch(
              events.subList(from, Math.min(events.size(), from + 500)).toArray(String[]::new)));
    }

    // as at night: the CLV model is refitted first, then the segments on the new predictions
    JsonPath clv =
        given().post("/api/v1/admin/clv-model/fit").then().statusCode(200).extract().jsonPath();
    JsonPath model =
        given().post("/api/v1/admin/segment-model/fit").then().statusCode(200).extract().jsonPath();
    assertThat(model.getList("centroids.segment", String.class))
        .hasSize(8)
        .contains("high-value", "loyal", "opportunity", "at-risk", "new-exploring");

    eventually(
        () -> intended.keySet().stream().allMatch(c -> clusterOf(c) != null),
        "every customer placed in a cluster segment");
    // each profile says which fits produced its predictions and its marketing segment (derived
    // now: a published snapshot keeps the fits it was derived with until the customer changes)
    JsonPath profile =
        given()
            .get("/api/v1/profiles/{id}/export", "km-" + run + "-hv-0")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(profile.getLong("predictions.models.clv.version"))
        .isEqualTo(clv.getLong("version"))
        .isEqualTo(profile.getLong("predictions.modelVersion"));
    assertThat(profile.getBoolean("predictions.models.clv.builtIn")).isFalse();
    assertThat(Instant.parse(profile.getString("predictions.models.clv.fittedAt")))
        .isEqualTo(Instant.parse(clv.getString("fittedAt")));
    assertThat(profile.getLong("predictions.models.segments.version"))
        .isEqualTo(model.getLong("version"));
    assertThat(profile.getString("predictions.models.segments.fittedAt")).isNotNull();
    Map<String, int[]> hits = new HashMap<>();
    Map<String, Map<String, Integer>> placed = new HashMap<>();
    intended.forEach(
        (c, want) -> {
          int[] h = hits.computeIfAbsent(want, k -> new int[2]);
          h[1]++;
          String got = clusterOf(c);
          placed
              .computeIfAbsent(want, k -> new HashMap<>())
              .merge(String.valueOf(got), 1, Integer::sum);
          if (want.equals(got)) {
            h[0]++;
          }
        });
    hits.forEach(
        (segment, h) ->
            assertThat(h[0])
                .as(
                    "customers meant as %s placed there (of %d); placed: %s; centroids: %s",
                    segment, h[1], placed, model.getList("centroids"))
                .isGreaterThanOrEqualTo(h[1] * 8 / 10));
    // the segment list shows the typical member of each fitted segment
    JsonPath hv = segment("high-value");
    assertThat(hv.getDouble("typical.clv12m"))
        .isGreaterThan(segment("opportunity").getDouble("typical.clv12m"));
    assertThat(
            model.getList(
                "centroids.findAll { it.segment == 'at-risk' }.typical.recencyDays", Double.class))
        .anySatisfy(days -> assertThat(days).isGreaterThan(365));
  }

  private static String clusterOf(String customerId) {
    List<String> segs =
        given()
            .get("/api/v1/profiles/{id}", customerId)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("segments", String.class);
    return segs.stream()
        .filter(
            s ->
                List.of("high-value", "loyal", "opportunity", "at-risk", "new-exploring")
                    .contains(s))
        .findFirst()
        .orElse(null);
  }
}
