package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A history loaded after the fact is judged as of the moment it stands at: the fit declares it, and
 * every profile's features and predictions are computed as of it and say so.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class AsOfTest {
  private static final Instant END = Instant.parse("2011-12-10T00:00:00Z");

  @Test
  void aFitAsOfTheEndOfAHistoryJudgesEveryProfileAsOfThatMoment() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> events = new ArrayList<>();
    // enough purchasers for a segment fit (ClusterFitter.MIN_CUSTOMERS)
    for (int i = 0; i < 60; i++) {
      String c = "asof-" + run + "-" + i;
      for (int p = 0; p <= i % 4; p++) {
        Instant at = END.minus(7L + 21L * p + i, ChronoUnit.DAYS);
        events.add(
            ProfileFeaturesTest.at(
                c + "-" + p, c, "purchase", at, "{\"amount\":" + (20 + i) + "}"));
      }
    }
    ProfileFeaturesTest.ingest(EventIngestTest.batch(events.toArray(String[]::new)));
    try {
      var fitted =
          given()
              .queryParam("asOf", END.toString())
              .post("/api/v1/admin/clv-model/fit")
              .then()
              .statusCode(200)
              .body("asOf", equalTo(END.toString()))
              .extract()
              .jsonPath();
      long version = fitted.getLong("version");
      // customer 0 bought once, 7 days before the end of the history
      given()
          .get("/api/v1/profiles/{id}/export", "asof-" + run + "-0")
          .then()
          .statusCode(200)
          .body("features.recencyDays", equalTo(7))
          .body("features.tenureDays", equalTo(7))
          .body("predictions.asOf", equalTo(END.toString()))
          .body("predictions.modelVersion", equalTo((int) version))
          .body("predictions.models.clv.asOf", equalTo(END.toString()));
      var segments =
          given().post("/api/v1/admin/segment-model/fit").then().statusCode(200).extract();
      assertThat(segments.jsonPath().getString("asOf")).isEqualTo(END.toString());
      assertThat(segments.jsonPath().getMap("typical")).isNotEmpty();
      // the listing shows the typical member of the model in use, and which model and moment
      int segmentVersion = segments.jsonPath().getInt("version");
      given()
          .get("/api/v1/segments")
          .then()
          .statusCode(200)
          .body("find { it.id == 'at-risk' }.modelVersion", equalTo(segmentVersion))
          .body("find { it.id == 'at-risk' }.modelAsOf", equalTo(END.toString()))
          .body(
              "find { it.id == 'at-risk' }.typical.recencyDays",
              equalTo(segments.jsonPath().getFloat("typical.'at-risk'.recencyDays")));
    } finally {
      // the other tests judge their profiles as of now, and fit their segments without these
      // customers: judged as of now they have been silent for fifteen years, outliers that would
      // take clusters of their own in the shared test database
      given().post("/api/v1/admin/clv-model/fit").then().statusCode(200);
      for (int i = 0; i < 60; i++) {
        given().delete("/api/v1/profiles/{id}", "asof-" + run + "-" + i);
      }
    }
  }

  @Test
  void aMomentThatIsNotAnInstantIsRefusedWithTheFieldNamed() {
    given()
        .queryParam("asOf", "yesterday")
        .post("/api/v1/admin/clv-model/fit")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("asOf"));
  }
}
