package io.nextbest.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.nextbest.common.testing.TestJwt;
import io.nextbest.content.rest.CustomerSignature;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's identify(): content-service asks profile-service (an HTTP double here, the real service
 * in the e2e suite) to merge the anonymous id into the customer, only for a customer the caller
 * proved to be.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(DecisionServiceDouble.class)
@QuarkusTestResource(ProfileServiceDouble.class)
class IdentifyTest {
  private static final String SECRET = "test-secret-for-signing-ids";

  @BeforeEach
  void noToken() {
    RestAssured.requestSpecification = null;
  }

  private static String body(String anonymousId, String customerId) {
    return "{\"anonymousId\":\"%s\",\"customerId\":\"%s\"}".formatted(anonymousId, customerId);
  }

  private static List<ProfileServiceDouble.Merge> mergesOf(String customer) {
    return ProfileServiceDouble.MERGES.stream()
        .filter(m -> m.customerId().equals(customer))
        .toList();
  }

  @Test
  void aSignedCustomerTakesTheAnonymousHistoryThroughProfileService() {
    String anon = "anon-" + UUID.randomUUID();
    String customer = "c-" + UUID.randomUUID();
    // a key that needs signed ids: without the backend's signature nothing is merged
    given()
        .queryParam("key", "pk_test_signed")
        .contentType(ContentType.JSON)
        .body(body(anon, customer))
        .post("/api/v1/content/identify")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("detail", containsString("not signed"));
    given()
        .queryParam("key", "pk_test_signed")
        .queryParam("sig", "00".repeat(32))
        .contentType(ContentType.JSON)
        .body(body(anon, customer))
        .post("/api/v1/content/identify")
        .then()
        .statusCode(403);
    assertThat(mergesOf(customer)).isEmpty();

    given()
        .queryParam("key", "pk_test_signed")
        .header("X-NextBest-Customer-Signature", CustomerSignature.hex(SECRET, customer))
        .contentType(ContentType.JSON)
        .body(body(anon, customer))
        .post("/api/v1/content/identify")
        .then()
        .statusCode(200)
        .body("customerId", equalTo(customer))
        .body("anonymousId", equalTo(anon));
    var merges = mergesOf(customer);
    assertThat(merges).hasSize(1);
    assertThat(merges.get(0).body()).isEqualTo("{\"alias\":\"" + anon + "\"}");
    // with this service's own token (role service, scope identity:merge where deployed)
    assertThat(merges.get(0).authorization())
        .isEqualTo(
            "Bearer "
                + ConfigProvider.getConfig().getValue("nextbest.auth.service-token", String.class));
  }

  @Test
  void aKeyThatTrustsUnsignedIdsMergesAsTheDemoDoes() {
    String anon = "anon-" + UUID.randomUUID();
    String customer = "c-" + UUID.randomUUID();
    given()
        .queryParam("key", "pk_test")
        .contentType(ContentType.JSON)
        .body(body(anon, customer))
        .post("/api/v1/content/identify")
        .then()
        .statusCode(200);
    assertThat(mergesOf(customer)).hasSize(1);
    // no key: the frontend filter refuses before anything is merged
    String other = "c-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body(body(anon, other))
        .post("/api/v1/content/identify")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    assertThat(mergesOf(other)).isEmpty();
  }

  @Test
  void onlyAnAnonymousIdOfTheSdkIsMergedAndRefusalsAreProblems() {
    String customer = "c-" + UUID.randomUUID();
    // a public call never merges a known customer's id into another
    for (String alias : List.of("victim", "anon-", "anon-../../x", "")) {
      given()
          .queryParam("key", "pk_test")
          .contentType(ContentType.JSON)
          .body(body(alias, customer))
          .post("/api/v1/content/identify")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].field", containsString("anonymousId"));
    }
    given()
        .queryParam("key", "pk_test")
        .contentType(ContentType.JSON)
        .body("{\"anonymousId\":\"anon-1\"}")
        .post("/api/v1/content/identify")
        .then()
        .statusCode(400)
        .body("errors[0].field", containsString("customerId"));
    assertThat(mergesOf(customer)).isEmpty();

    // profile-service refuses (merged elsewhere, a person, erased): 409; unavailable: 503
    String refused = "c-" + UUID.randomUUID();
    ProfileServiceDouble.STATUS.put(refused, 400);
    given()
        .queryParam("key", "pk_test")
        .contentType(ContentType.JSON)
        .body(body("anon-" + UUID.randomUUID(), refused))
        .post("/api/v1/content/identify")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("merged into another customer"));
    String down = "c-" + UUID.randomUUID();
    ProfileServiceDouble.STATUS.put(down, 503);
    given()
        .queryParam("key", "pk_test")
        .contentType(ContentType.JSON)
        .body(body("anon-" + UUID.randomUUID(), down))
        .post("/api/v1/content/identify")
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .header("Retry-After", notNullValue());
  }
}
