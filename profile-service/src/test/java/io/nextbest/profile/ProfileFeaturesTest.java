package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Features and predictions are recomputed from the events on every ingest, not by a batch job. */
@QuarkusTest
class ProfileFeaturesTest {

  static ValidatableResponse ingest(String body) {
    return given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/events")
        .then()
        .statusCode(202);
  }

  static String at(String id, String customer, String type, Instant when, String props) {
    return "{\"eventId\":\"%s\",\"customerId\":\"%s\",\"type\":\"%s\",\"occurredAt\":\"%s\",\"properties\":%s}"
        .formatted(id, customer, type, when, props);
  }

  @Test
  void purchasesAndBrowsingBecomeRfmCategoriesAndPredictions() {
    String c = "f-" + UUID.randomUUID();
    Instant now = Instant.now();
    Instant tenWeeksAgo = now.minus(70, ChronoUnit.DAYS);
    Instant twoWeeksAgo = now.minus(14, ChronoUnit.DAYS);
    ingest(
        EventIngestTest.batch(
            at(c + "-1", c, "view", tenWeeksAgo, "{\"sku\":\"T1\",\"category\":\"tea\"}"),
            at(
                c + "-2",
                c,
                "purchase",
                tenWeeksAgo,
                "{\"orderId\":\"o1\",\"amount\":30,\"currency\":\"EUR\",\"items\":[{\"sku\":\"T1\",\"category\":\"tea\",\"price\":30,\"quantity\":1}]}"),
            at(
                c + "-3",
                c,
                "purchase",
                twoWeeksAgo,
                "{\"orderId\":\"o2\",\"amount\":50,\"currency\":\"EUR\",\"items\":[{\"sku\":\"C1\",\"category\":\"coffee\",\"price\":25,\"quantity\":2}]}"),
            at(c + "-4", c, "view", twoWeeksAgo, "{\"sku\":\"M1\",\"category\":\"mugs\"}")));

    given()
        .get("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200)
        .body("features.purchaseCount", equalTo(2))
        .body("features.frequency", equalTo(1))
        .body("features.monetary", equalTo(80.0f))
        .body("features.averageOrderValue", equalTo(40.0f))
        .body("features.recencyDays", equalTo(14))
        .body("features.daysSinceLastEngagement", equalTo(14))
        // coffee: 3 × 2 items, tea: 1 view + 3 purchase, mugs: 1 view
        .body("features.topCategories", contains("coffee", "tea", "mugs"))
        .body("features.engagementByHourOfWeek", hasSize(168))
        .body("features.bestHourOfWeek", notNullValue())
        .body("predictions.basis", equalTo("bg-nbd+gamma-gamma"))
        .body("predictions.probabilityAlive", greaterThan(0.5f))
        .body("predictions.probabilityAlive", lessThan(1.0f))
        .body("predictions.expectedPurchases90d", greaterThan(0.0f))
        .body("predictions.purchaseProbability30d", greaterThan(0.0f))
        .body("predictions.clv12m", greaterThan(0.0f));

    given()
        .get("/api/v1/profiles/{id}/predictions", c)
        .then()
        .statusCode(200)
        .body("churnRisk", lessThan(0.5f));
  }

  @Test
  void prospectWithoutPurchaseHasNoPurchaseBasedPredictions() {
    String c = "f-" + UUID.randomUUID();
    ingest(
        EventIngestTest.batch(
            EventIngestTest.event(c + "-1", c, "search", "{\"query\":\"green tea\"}")));
    given()
        .get("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200)
        .body("features.recencyDays", nullValue())
        .body("predictions.basis", equalTo("prospect"))
        .body("predictions.clv12m", equalTo(0.0f));
  }

  @Test
  void birthdateInCustomersTimeZoneGivesDaysToBirthday() {
    String c = "f-" + UUID.randomUUID();
    var tomorrow = java.time.LocalDate.now(java.time.ZoneId.of("Pacific/Kiritimati")).plusDays(1);
    String birthdate = tomorrow.withYear(1990).toString();
    if (tomorrow.getMonthValue() == 2 && tomorrow.getDayOfMonth() == 29) {
      return; // 1990 has no 29 February
    }
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"attributes\":{\"birthdate\":\""
                + birthdate
                + "\",\"timezone\":\"Pacific/Kiritimati\"}}")
        .put("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200)
        .body("features.daysToBirthday", equalTo(1));
  }
}
