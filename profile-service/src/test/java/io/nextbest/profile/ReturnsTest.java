package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Returns and refunds are events of their own: net value, never a purchase. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class ReturnsTest {

  @Test
  void aReturnComesOffTheNetValueAndIsNeverAPurchase() {
    String c = "ret-" + UUID.randomUUID();
    Instant now = Instant.now();
    Instant month = now.minus(30, ChronoUnit.DAYS);
    Instant week = now.minus(7, ChronoUnit.DAYS);
    ProfileFeaturesTest.ingest(
        EventIngestTest.batch(
            ProfileFeaturesTest.at(
                c + "-1", c, "purchase", month, "{\"orderId\":\"o1\",\"amount\":100}"),
            ProfileFeaturesTest.at(
                c + "-2", c, "purchase", week, "{\"orderId\":\"o2\",\"amount\":50}"),
            ProfileFeaturesTest.at(
                c + "-3",
                c,
                "return",
                now.minus(2, ChronoUnit.DAYS),
                "{\"orderId\":\"o1\",\"amount\":40,\"reason\":\"damaged\","
                    + "\"items\":[{\"sku\":\"T1\",\"price\":40,\"quantity\":1}]}")));
    given()
        .get("/api/v1/profiles/{id}/export", c)
        .then()
        .statusCode(200)
        .body("features.purchaseCount", equalTo(2))
        .body("features.frequency", equalTo(1))
        .body("features.monetary", equalTo(110.0f))
        .body("features.averageOrderValue", equalTo(55.0f))
        .body("features.returnCount", equalTo(1))
        .body("features.returnedValue", equalTo(40.0f))
        // the return is the latest event, yet the last purchase stays a week ago
        .body("features.recencyDays", equalTo(7));
  }

  @Test
  void aRefundInAnotherCurrencyComesOffInTheBaseCurrency() {
    String c = "ref-" + UUID.randomUUID();
    Instant week = Instant.now().minus(7, ChronoUnit.DAYS);
    ProfileFeaturesTest.ingest(
        EventIngestTest.batch(
            ProfileFeaturesTest.at(
                c + "-1", c, "purchase", week, "{\"orderId\":\"o1\",\"amount\":100}"),
            ProfileFeaturesTest.at(
                c + "-2",
                c,
                "refund",
                week.plusSeconds(60),
                "{\"orderId\":\"o1\",\"amount\":10,\"currency\":\"GBP\"}")));
    given()
        .get("/api/v1/profiles/{id}/export", c)
        .then()
        .statusCode(200)
        .body("features.purchaseCount", equalTo(1))
        // GBP at 1.17 EUR (nextbest.currency.rates.GBP)
        .body("features.monetary", equalTo(88.3f));
  }

  @Test
  void aReturnMustNameItsOrder() {
    String c = "ret-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body(EventIngestTest.batch(EventIngestTest.event(c + "-1", c, "return", "{\"amount\":5}")))
        .post("/api/v1/events")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("events[0].properties.orderId"));
  }
}
