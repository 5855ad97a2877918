package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.nextbest.common.testing.TestJwt;
import io.nextbest.models.clv.BgNbd;
import io.nextbest.models.clv.ClvModel;
import io.nextbest.models.clv.CustomerPredictions;
import io.nextbest.models.clv.GammaGamma;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Features and predictions are recomputed from the events on every ingest, not by a batch job. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class ProfileFeaturesTest {

  static ValidatableResponse ingest(String body) {
    return Ingested.post(body);
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
        .body("predictions.modelVersion", notNullValue());

    // the predictions are the population model's for x = 1, t_x = 8 weeks, T = 10 weeks,
    // mean repeat value 50, whichever model is in use
    var m = given().get("/api/v1/admin/clv-model").then().statusCode(200).extract().jsonPath();
    var model =
        new ClvModel(
            m.getLong("version"),
            Instant.EPOCH,
            0,
            new BgNbd(
                m.getDouble("bgNbd.r"),
                m.getDouble("bgNbd.alpha"),
                m.getDouble("bgNbd.a"),
                m.getDouble("bgNbd.b")),
            new GammaGamma(
                m.getDouble("gammaGamma.p"),
                m.getDouble("gammaGamma.q"),
                m.getDouble("gammaGamma.gamma")));
    CustomerPredictions expected = CustomerPredictions.of(model, 1, 8, 10, 50);
    var p =
        given()
            .get("/api/v1/profiles/{id}/predictions", c)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(p.getLong("modelVersion")).isEqualTo(model.version());
    assertThat(p.getDouble("probabilityAlive"))
        .isCloseTo(expected.probabilityAlive(), within(1e-4));
    assertThat(p.getDouble("churnRisk")).isCloseTo(expected.churnRisk(), within(1e-4));
    assertThat(p.getDouble("expectedPurchases30d"))
        .isCloseTo(expected.expectedPurchases30d(), within(1e-4));
    assertThat(p.getDouble("expectedPurchases90d"))
        .isCloseTo(expected.expectedPurchases90d(), within(1e-4));
    assertThat(p.getDouble("purchaseProbability30d"))
        .isCloseTo(expected.purchaseProbability30d(), within(1e-4));
    assertThat(p.getDouble("clv12m")).isCloseTo(expected.clv12m(), within(0.01));
  }

  @Test
  void snapshotCarriesSharesDiscountsChannelsSentimentAndRawInstants() {
    String c = "f-" + UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant firstBuy = now.minus(30, ChronoUnit.DAYS);
    Instant secondBuy = now.minus(2, ChronoUnit.DAYS);
    Instant opened = now.minus(1, ChronoUnit.DAYS);
    ingest(
        EventIngestTest.batch(
            at(c + "-1", c, "view", firstBuy, "{\"sku\":\"T1\",\"category\":\"tea\"}"),
            at(c + "-2", c, "view", firstBuy, "{\"sku\":\"T2\",\"category\":\"tea\"}"),
            at(c + "-3", c, "view", firstBuy, "{\"sku\":\"M1\",\"category\":\"mugs\"}"),
            at(
                c + "-4",
                c,
                "purchase",
                firstBuy,
                "{\"orderId\":\"o1\",\"amount\":45,\"discount\":5,\"items\":[{\"sku\":\"T1\",\"category\":\"tea\",\"price\":10,\"quantity\":3},{\"sku\":\"M1\",\"category\":\"mugs\",\"price\":15,\"quantity\":1}]}"),
            at(
                c + "-5",
                c,
                "purchase",
                secondBuy,
                "{\"orderId\":\"o2\",\"amount\":20,\"items\":[{\"sku\":\"T2\",\"category\":\"tea\",\"price\":20}]}"),
            at(c + "-6", c, "email_open", opened, "{\"campaignId\":\"spring\"}"),
            at(c + "-7", c, "click", opened, "{\"campaignId\":\"spring\",\"channel\":\"push\"}"),
            at(c + "-8", c, "click", opened, "{\"placement\":\"home-hero\"}"),
            at(c + "-9", c, "push_open", opened, "{\"messageId\":\"m1\"}"),
            at(c + "-10", c, "coupon_redeemed", opened, "{\"code\":\"SPRING10\"}"),
            at(
                c + "-11",
                c,
                "review",
                now,
                "{\"rating\":5,\"sku\":\"T1\",\"text\":\"Excellent tea, I love it!\"}")));

    given()
        .get("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200)
        .body("features.categoryViewShares.tea", equalTo(0.6667f))
        .body("features.categoryViewShares.mugs", equalTo(0.3333f))
        .body("features.categoryPurchaseShares.tea", equalTo(0.8f))
        .body("features.categoryPurchaseShares.mugs", equalTo(0.2f))
        .body("features.discountOrderShare", equalTo(0.5f))
        .body("features.discountEventCount", equalTo(1))
        // (1 discounted order + 1 coupon event) / (2 purchases + 1 event)
        .body("features.priceSensitivity", equalTo(0.6667f))
        .body("features.channelEngagement.email.opens", equalTo(1))
        .body("features.channelEngagement.email.clicks", equalTo(0))
        .body("features.channelEngagement.push.opens", equalTo(1))
        .body("features.channelEngagement.push.clicks", equalTo(1))
        .body("features.channelEngagement.web.clicks", equalTo(1))
        .body("features.channelEngagement.sms.opens", equalTo(0))
        .body("features.reviewCount", equalTo(1))
        .body("features.reviewSentiment", greaterThan(0.5f))
        .body("features.firstPurchaseAt", equalTo(firstBuy.toString()))
        .body("features.lastPurchaseAt", equalTo(secondBuy.toString()))
        .body("features.lastEngagementAt", equalTo(now.toString()))
        .body("features.topCategories", contains("tea", "mugs"))
        .body("predictions.bgNbd.r", notNullValue())
        .body("predictions.bgNbd.alpha", notNullValue())
        .body("predictions.bgNbd.a", notNullValue())
        .body("predictions.bgNbd.b", notNullValue());
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
