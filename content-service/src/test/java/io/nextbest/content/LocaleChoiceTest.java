package io.nextbest.content;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which language content comes in: the locale the call names, else the profile's, else the
 * browser's (Accept-Language, which a browser always sends and the SDK no longer overrides with the
 * page's {@code lang}).
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(DecisionServiceDouble.class)
class LocaleChoiceTest {
  @Inject RedisDataSource redis;

  @BeforeEach
  void siteKey() {
    RestAssured.requestSpecification = null;
  }

  private void profile(String customer, String name, String locale) {
    redis
        .value(String.class)
        .set(
            "nextbest:profile:" + customer,
            ("{\"id\":\"%s:1\",\"type\":\"profile.snapshot\",\"customerId\":\"%s\","
                    + "\"occurredAt\":\"2026-06-01T10:00:00Z\",\"version\":1,"
                    + "\"attributes\":{\"name\":\"%s\",\"locale\":\"%s\"}}")
                .formatted(customer, customer, name, locale));
  }

  /** The welcome campaign for the customer, once a decision made it within the budget. */
  private static Response welcome(String customer, String locale) {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Response r;
    do {
      var call =
          given()
              .header("X-NextBest-Key", "pk_test")
              // what a browser with an English UI sends on every call
              .header("Accept-Language", "en-US,en;q=0.9")
              .queryParam("customerId", customer);
      if (locale != null) {
        call.queryParam("locale", locale);
      }
      r = call.get("/api/v1/content/{placement}", "home-hero");
      if (r.statusCode() == 200 && "welcome".equals(r.path("campaignId"))) {
        return r;
      }
    } while (System.nanoTime() < end);
    throw new AssertionError("never served the welcome campaign: " + r.asString());
  }

  @Test
  void theProfilesLocaleWinsUnlessTheCallNamesOne() {
    String bob = "bob-" + UUID.randomUUID();
    profile(bob, "Bob", "es-MX");
    DecisionServiceDouble.ANSWERS.put(
        bob, new DecisionServiceDouble.Answer("welcome", false, 0, 200));
    welcome(bob, null)
        .then()
        .body("locale", equalTo("es"))
        .body("fields.headline", equalTo("¡Hola, Bob!"));
    welcome(bob, "en-GB")
        .then()
        .body("locale", equalTo("en"))
        .body("fields.headline", equalTo("Welcome, Bob!"));
  }

  @Test
  void aVisitorWithoutAProfileLocaleGetsTheBrowsersLanguage() {
    given()
        .header("X-NextBest-Key", "pk_test")
        .header("Accept-Language", "es-MX,es;q=0.9,en;q=0.8")
        .get("/api/v1/content/{placement}", "cart")
        .then()
        .statusCode(200)
        .body("reason", equalTo("anonymous"))
        .body("locale", equalTo("es"))
        .body("fields.headline", equalTo("Casi listo"));
    // a malformed header is ignored, never an error
    given()
        .header("X-NextBest-Key", "pk_test")
        .header("Accept-Language", "*;q=0.5,<script>")
        .get("/api/v1/content/{placement}", "cart")
        .then()
        .statusCode(200)
        .body("locale", equalTo("en"));
    String newcomer = "new-" + UUID.randomUUID();
    given()
        .header("X-NextBest-Key", "pk_test")
        .header("Accept-Language", "es")
        .queryParam("customerId", newcomer)
        .get("/api/v1/content/{placement}", "cart")
        .then()
        .statusCode(200)
        .body("locale", equalTo("es"));
  }
}
