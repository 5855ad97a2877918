package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.nextbest.common.testing.TestJwt;
import io.nextbest.profile.config.SegmentConfig;
import io.nextbest.profile.segments.SegmentService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rule segments are compiled and held in memory, so there are at most so many of them. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class SegmentLimitTest {
  @Inject SegmentService segments;
  @Inject SegmentConfig config;

  @AfterEach
  void restore() {
    segments.maxRules(config.maxRules());
  }

  @Test
  void aRuleSegmentBeyondTheLimitIsAConflictProblem() {
    int rules =
        given()
            .get("/api/v1/segments")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("findAll { it.kind == 'rule' }")
            .size();
    segments.maxRules(rules);
    String id = "limit-" + UUID.randomUUID().toString().substring(0, 8);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("id", id, "name", "One too many", "rule", "features.eventCount > 1"))
        .post("/api/v1/segments")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("nextbest.segments.max-rules"));
    given().get("/api/v1/segments/{id}", id).then().statusCode(404);
  }
}
