package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The population model is refitted on demand over every customer and used from then on. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class ClvRefitTest {

  @Test
  void refitOverCustomersIsStoredAndUsedForPredictions() {
    Random random = new Random(7);
    String run = UUID.randomUUID().toString().substring(0, 8);
    Instant now = Instant.now();
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String c = "clv-" + run + "-" + i;
      int purchases = 1 + random.nextInt(5);
      for (int p = 0; p < purchases; p++) {
        Instant at = now.minus(7L * (30 - p * (1 + random.nextInt(5))), ChronoUnit.DAYS);
        events.add(
            ProfileFeaturesTest.at(
                c + "-" + p, c, "purchase", at, "{\"amount\":" + (10 + random.nextInt(90)) + "}"));
      }
    }
    ProfileFeaturesTest.ingest(EventIngestTest.batch(events.toArray(String[]::new)));

    var fitted =
        given().post("/api/v1/admin/clv-model/fit").then().statusCode(200).extract().jsonPath();
    long version = fitted.getLong("version");
    assertThat(version).isPositive();
    assertThat(fitted.getDouble("bgNbd.r")).isPositive();
    assertThat(fitted.getDouble("gammaGamma.p")).isPositive();
    assertThat(fitted.getLong("customers")).isGreaterThanOrEqualTo(40);

    given()
        .get("/api/v1/admin/clv-model")
        .then()
        .statusCode(200)
        .body("version", equalTo((int) version));
    given()
        .get("/api/v1/profiles/{id}/export", "clv-" + run + "-0")
        .then()
        .statusCode(200)
        .body("predictions.modelVersion", equalTo((int) version));
  }
}
