package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The personal-data export holds every event however many there are, while the service reads and
 * sends them a page (200 by default) at a time.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class ProfileExportTest {

  /** Stores {@code n} events of one customer, several sharing each instant, oldest last. */
  private static List<String> history(String c, int n) {
    Instant base = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    List<String> events = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = n - 1; i >= 0; i--) {
      // three events share each instant: the pages must split ties by event id
      Instant at = base.plusSeconds(i / 3);
      String id = "%s-%s-%05d".formatted(c, (char) ('c' - i % 3), i);
      events.add(ProfileFeaturesTest.at(id, c, "view", at, "{\"category\":\"tea\"}"));
    }
    for (int from = 0; from < events.size(); from += 500) {
      ProfileFeaturesTest.ingest(
          EventIngestTest.batch(
              events.subList(from, Math.min(events.size(), from + 500)).toArray(String[]::new)));
    }
    for (int i = 0; i < n; i++) {
      ids.add("%s-%s-%05d".formatted(c, (char) ('c' - i % 3), i));
    }
    return ids;
  }

  private static JsonPath export(String c) {
    return given()
        .get("/api/v1/profiles/{id}/export", c)
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .body("customerId", equalTo(c))
        .extract()
        .jsonPath();
  }

  @Test
  void anExportOverSeveralPagesHoldsEveryEventOnceOldestFirst() {
    String c = "exp-" + UUID.randomUUID();
    List<String> ids = history(c, 451);
    JsonPath export = export(c);
    List<String> exported = export.getList("events.eventId", String.class);
    // same instant: ordered by event id, as the pages are
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += 3) {
      List<String> tie = new ArrayList<>(ids.subList(i, Math.min(ids.size(), i + 3)));
      tie.sort(null);
      expected.addAll(tie);
    }
    assertThat(exported).hasSize(451).doesNotHaveDuplicates().containsExactlyElementsOf(expected);
    assertThat(export.getString("events[450].properties.category")).isEqualTo("tea");
    assertThat(export.getInt("features.eventCount")).isEqualTo(451);
  }

  @Test
  void anExportOfExactlyFullPagesEndsCleanly() {
    String c = "exp-" + UUID.randomUUID();
    history(c, 400);
    assertThat(export(c).getList("events.eventId", String.class))
        .hasSize(400)
        .doesNotHaveDuplicates();
  }

  @Test
  void aProfileWithoutEventsExportsAnEmptyList() {
    String c = "exp-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body("{\"attributes\":{\"name\":\"Ada\"}}")
        .put("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200);
    given()
        .get("/api/v1/profiles/{id}/export", c)
        .then()
        .statusCode(200)
        .body("attributes.name", equalTo("Ada"))
        .body("events", hasSize(0));
  }

  @Test
  void anUnknownPersonIsANotFoundProblem() {
    given()
        .get("/api/v1/profiles/{id}/export", "exp-nobody-" + UUID.randomUUID())
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }
}
