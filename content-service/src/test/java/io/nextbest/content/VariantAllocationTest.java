package io.nextbest.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Variant statistics with their posterior and the daily allocation, counted from the outcomes topic
 * (real Kafka and PostgreSQL) once however often the records are replayed.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class VariantAllocationTest {

  private static String impression(
      String decisionId, String customer, Instant at, long templateId, String variant) {
    return ("{\"id\":\"impression:%s\",\"type\":\"impression\",\"customerId\":\"%s\","
            + "\"occurredAt\":\"%s\",\"decisionId\":\"%s\",\"content\":{\"campaignId\":null,"
            + "\"placement\":\"cart\",\"templateId\":%d,\"variantId\":\"%s\",\"locale\":\"en\"}}")
        .formatted(decisionId, customer, at, decisionId, templateId, variant);
  }

  private static String click(String decisionId, String customer, Instant at) {
    return ("{\"id\":\"click:%s\",\"type\":\"click\",\"customerId\":\"%s\",\"occurredAt\":\"%s\","
            + "\"decisionId\":\"%s\"}")
        .formatted(decisionId, customer, at, decisionId);
  }

  @Test
  void countsImpressionsPerVariantAndDayOnceWithTheirPosterior() {
    String camp = "alloc-" + UUID.randomUUID().toString().substring(0, 8);
    long id =
        ((Number)
                given()
                    .contentType(ContentType.JSON)
                    .body(
                        ContentApiTest.template(
                            camp,
                            "cart",
                            List.of(
                                ContentApiTest.variant("a", Map.of("en", ContentApiTest.hero("A"))),
                                ContentApiTest.variant(
                                    "b", Map.of("en", ContentApiTest.hero("B"))))))
                    .post("/api/v1/templates")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id"))
            .longValue();
    Instant now = Instant.now();
    Instant twoDaysAgo = now.minus(2, ChronoUnit.DAYS);
    Instant yesterday = now.minus(1, ChronoUnit.DAYS);
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<Map.Entry<String, String>> records = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String c = "al-" + run + "-" + i;
      records.add(Map.entry(c, impression("d-" + run + "-a" + i, c, twoDaysAgo, id, "a")));
    }
    String cb = "al-" + run + "-b";
    records.add(Map.entry(cb, impression("d-" + run + "-b", cb, yesterday, id, "b")));
    // a click today on one of the impressions two days old counts on the impression's day
    String c0 = "al-" + run + "-0";
    records.add(Map.entry(c0, click("d-" + run + "-a0", c0, now)));
    KafkaTopics.sendAll(Topics.OUTCOMES, records);
    // replayed: counted once
    KafkaTopics.sendAll(Topics.OUTCOMES, records);
    TemplatePreviewTest.await(
        () ->
            given()
                        .get("/api/v1/templates/{id}/stats", id)
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("impressions", Integer.class)
                        .stream()
                        .mapToInt(Integer::intValue)
                        .sum()
                    == 4
                && given()
                        .get("/api/v1/templates/{id}/stats", id)
                        .then()
                        .extract()
                        .jsonPath()
                        .getInt("find { it.variantId == 'a' }.clicks")
                    == 1,
        "impressions and the click counted");
    // wait for the replay to pass through as well before reading the days
    KafkaTopics.sendAll(
        Topics.OUTCOMES,
        List.of(Map.entry(c0, impression("d-" + run + "-marker", c0, now, id, "b"))));
    TemplatePreviewTest.await(
        () ->
            given()
                    .get("/api/v1/templates/{id}/stats", id)
                    .then()
                    .extract()
                    .jsonPath()
                    .getInt("find { it.variantId == 'b' }.impressions")
                == 2,
        "marker counted");

    // Beta(1 + 1, 1 + 2) for a's clicks: mean 0.4, 95% from scipy.stats.beta.ppf(.025/.975, 2, 3)
    var stats =
        given()
            .get("/api/v1/templates/{id}/stats", id)
            .then()
            .statusCode(200)
            .body("find { it.variantId == 'a' }.impressions", equalTo(3))
            .extract()
            .jsonPath();
    assertThat(stats.getDouble("find { it.variantId == 'a' }.clickPosterior.mean"))
        .isCloseTo(0.4, within(1e-6));
    assertThat(stats.getDouble("find { it.variantId == 'a' }.clickPosterior.low"))
        .isCloseTo(0.0676, within(1e-3));
    assertThat(stats.getDouble("find { it.variantId == 'a' }.clickPosterior.high"))
        .isCloseTo(0.8059, within(1e-3));

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    given()
        .queryParam("days", 7)
        .get("/api/v1/templates/{id}/daily", id)
        .then()
        .statusCode(200)
        .body("from", equalTo(today.minusDays(6).toString()))
        .body("to", equalTo(today.toString()))
        .body("days", hasSize(3))
        .body("days[0].day", equalTo(twoDaysAgo.atZone(ZoneOffset.UTC).toLocalDate().toString()))
        .body("days[0].variantId", equalTo("a"))
        .body("days[0].impressions", equalTo(3))
        .body("days[0].clicks", equalTo(1))
        .body("days[1].variantId", equalTo("b"))
        .body("days[1].impressions", equalTo(1))
        .body("days[2].day", equalTo(today.toString()));
    // a one-day window holds today alone
    given()
        .queryParam("days", 1)
        .get("/api/v1/templates/{id}/daily", id)
        .then()
        .statusCode(200)
        .body("days", hasSize(1));
  }

  @Test
  void dailyAllocationBoundsItsWindowAndKnowsItsTemplates() {
    for (String bad : List.of("0", "367", "abc", "-1")) {
      given()
          .queryParam("days", bad)
          .get("/api/v1/templates/{id}/daily", 1)
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("detail", containsString("days"));
    }
    given()
        .get("/api/v1/templates/{id}/daily", 987_654_321L)
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }
}
