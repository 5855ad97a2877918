package io.nextbest.profile;

import static io.nextbest.profile.SegmentsTest.eventually;
import static io.nextbest.profile.SegmentsTest.members;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Segment sizes recorded per day (every 2 s in tests) against real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class SegmentHistoryTest {

  private static JsonPath history(String segment, int days) {
    return given()
        .queryParam("days", days)
        .get("/api/v1/segments/{id}/history", segment)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static long today(String segment) {
    List<Map<String, Object>> days = history(segment, 1).getList("days");
    return days.isEmpty() ? -1 : ((Number) days.get(0).get("members")).longValue();
  }

  @Test
  void recordsEachSegmentsSizeAsTodaysAndFollowsItsChanges() {
    String marker = UUID.randomUUID().toString();
    String seg = "hist-" + marker.substring(0, 8);
    List<String> customers = List.of("h1-" + marker, "h2-" + marker, "h3-" + marker);
    for (String c : customers) {
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("attributes", Map.of("traits", Map.of("cohort", marker))))
          .put("/api/v1/profiles/{id}", c)
          .then()
          .statusCode(200);
    }
    given()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "id",
                seg,
                "name",
                "History cohort",
                "rule",
                "attributes.traits.cohort == '" + marker + "'"))
        .post("/api/v1/segments")
        .then()
        .statusCode(201);
    eventually(() -> members(seg).size() == 3, "three members in " + seg);
    eventually(() -> today(seg) == 3, "today's size of " + seg + " recorded as 3");

    // one leaves: the next recording replaces today's size
    given().delete("/api/v1/profiles/{id}", customers.get(0)).then().statusCode(204);
    eventually(() -> today(seg) == 2, "today's size of " + seg + " recorded again as 2");

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    JsonPath h = history(seg, 30);
    assertThat(h.getString("segmentId")).isEqualTo(seg);
    assertThat(h.getString("to")).isEqualTo(today);
    assertThat(h.getString("from"))
        .isEqualTo(LocalDate.now(ZoneOffset.UTC).minusDays(29).toString());
    assertThat(h.getList("days")).hasSize(1);
    assertThat(h.getString("days[0].day")).isEqualTo(today);
    given().delete("/api/v1/segments/{id}", seg).then().statusCode(204);
  }

  @Test
  void unknownSegmentsAndBadWindowsAreProblems() {
    given()
        .get("/api/v1/segments/{id}/history", "no-such-segment")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", containsString("No segment"));
    for (String bad : List.of("0", "401", "abc", "99999999999")) {
      given()
          .queryParam("days", bad)
          .get("/api/v1/segments/{id}/history", "loyal")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("detail", containsString("days"));
    }
    // the fitted segments have a history too
    given()
        .get("/api/v1/segments/{id}/history", "loyal")
        .then()
        .statusCode(200)
        .body("segmentId", equalTo("loyal"));
    given()
        .auth()
        .oauth2(TestJwt.token("service"))
        .get("/api/v1/segments/{id}/history", "loyal")
        .then()
        .statusCode(403);
  }
}
