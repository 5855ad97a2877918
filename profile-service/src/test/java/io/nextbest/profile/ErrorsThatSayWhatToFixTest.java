package io.nextbest.profile;

import static io.nextbest.profile.EventIngestTest.batch;
import static io.nextbest.profile.EventIngestTest.event;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A newcomer's mistakes are answered with what to fix, never a misleading 404 or a whole-batch 400.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class ErrorsThatSayWhatToFixTest {

  private static ValidatableResponse post(String body) {
    return given().contentType(ContentType.JSON).body(body).post("/api/v1/events").then();
  }

  @Test
  void aLimitThatIsNotANumberIsA400NamingTheParameterAndItsRange() {
    for (String limit : new String[] {"abc", "99999999999", "1.5"}) {
      given()
          .queryParam("limit", limit)
          .get("/api/v1/profiles")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("title", equalTo("Invalid query parameter"))
          .body("detail", containsString("'limit' must be a whole number from 1 to 1000"))
          .body("errors[0].field", equalTo("limit"))
          .body("instance", equalTo("/api/v1/profiles"));
    }
    // within the type but beyond the range: the validation's own answer
    given()
        .queryParam("limit", "5000")
        .get("/api/v1/profiles")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("limit"));
    // a path that does not exist is still a 404
    given().get("/api/v1/nothing-here").then().statusCode(404);
  }

  @Test
  void aProblemsInstanceIsThePathWithOneLeadingSlash() {
    post(batch(event("x-1", "c", "Not A Type", "{}")))
        .statusCode(400)
        .body("instance", equalTo("/api/v1/events"));
    post("{\"events\":[{\"eventId\":\"a\",\"customerId\":\"b\",\"type\":\"view\",\"colour\":1}]}")
        .statusCode(400)
        .body("instance", equalTo("/api/v1/events"));
  }

  @Test
  void anAmountTheProfileCannotHoldRejectsThatEventAloneWithItsIndex() {
    String c = "big-" + UUID.randomUUID();
    post(batch(
            event(c + "-1", c, "purchase", "{\"amount\":20,\"currency\":\"EUR\"}"),
            event(c + "-2", c, "purchase", "{\"amount\":1e15,\"currency\":\"EUR\"}"),
            event(c + "-3", c, "view", "{}")))
        .statusCode(202)
        .body("accepted", equalTo(2))
        .body("rejected", hasSize(1))
        .body("rejected[0].index", equalTo(1))
        .body("rejected[0].field", equalTo("properties.amount"))
        .body("rejected[0].reason", equalTo("must be from 0 to 1000000000"));
    Ingested.awaitEventCount(c, 2);
    given()
        .get("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200)
        .body("features.monetary", equalTo(20.0f));
  }

  @Test
  void aTokenWithoutSubjectIsToldItHasNone() {
    long now = Instant.now().getEpochSecond();
    String noSubject =
        TestJwt.withClaims(
            "{\"iss\":\"%s\",\"groups\":[\"admin\"],\"iat\":%d,\"exp\":%d}"
                .formatted(TestJwt.ISSUER, now, now + 600));
    given()
        .auth()
        .oauth2(noSubject)
        .get("/api/v1/profiles/{id}", "anyone")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("detail", containsString("no subject claim ('sub')"));
  }

  @Test
  void purchasesInOtherCurrenciesAreConvertedToTheBaseAndAnUnknownOneIsRejected() {
    String c = "fx-" + UUID.randomUUID();
    post(batch(
            event(c + "-1", c, "purchase", "{\"amount\":10,\"currency\":\"GBP\"}"),
            event(c + "-2", c, "purchase", "{\"amount\":10,\"currency\":\"EUR\"}"),
            event(c + "-3", c, "purchase", "{\"amount\":10,\"currency\":\"USD\"}"),
            event(c + "-4", c, "purchase", "{\"amount\":10,\"currency\":\"JPY\"}")))
        .statusCode(202)
        .body("accepted", equalTo(3))
        .body("rejected[0].index", equalTo(3))
        .body("rejected[0].field", equalTo("properties.currency"))
        .body("rejected[0].reason", containsString("send one of EUR, GBP, USD"));
    // 11.70 + 10 + 9.20 in EUR, not 30 of three currencies
    Ingested.awaitEventCount(c, 3);
    given()
        .get("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200)
        .body("features.monetary", equalTo(30.9f))
        .body("features.currency", equalTo("EUR"));
  }
}
