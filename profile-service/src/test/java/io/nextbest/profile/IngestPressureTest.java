package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.nextbest.common.testing.TestJwt;
import io.nextbest.profile.service.IngestPressure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When ingest falls behind, new batches wait with a 503 and Retry-After instead of piling up. */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class IngestPressureTest {
  @Inject IngestPressure pressure;

  @AfterEach
  void restore() {
    pressure.maxBacklog(50_000);
    pressure.maxLag(250_000);
    pressure.refresh().await().atMost(Duration.ofSeconds(10));
  }

  @Test
  void aBacklogOverItsLimitIsAnsweredWithRetryAfterAndTheSameBatchIsTakenLater() {
    String c = "pressure-" + UUID.randomUUID();
    String body = EventIngestTest.batch(EventIngestTest.event(c + "-1", c, "view", "{}"));
    pressure.maxBacklog(0); // any backlog, even none, is too much
    pressure.refresh().await().atMost(Duration.ofSeconds(10));
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/events")
        .then()
        .statusCode(503)
        .header("Retry-After", "2")
        .contentType("application/problem+json")
        .body("title", equalTo("Ingest is behind"))
        .body("detail", containsString("nextbest.ingest.max-backlog"));
    restore();
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(1));
  }

  @Test
  void aLogNotFoldedBeyondItsLimitIsAnsweredWithRetryAfter() {
    String c = "pressure-" + UUID.randomUUID();
    String body = EventIngestTest.batch(EventIngestTest.event(c + "-1", c, "view", "{}"));
    pressure.maxLag(0); // any lag, even none, is too much
    pressure.refresh().await().atMost(Duration.ofSeconds(10));
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/events")
        .then()
        .statusCode(503)
        .header("Retry-After", "2")
        .body("title", equalTo("Ingest is behind"))
        .body("detail", containsString("nextbest.ingest.max-lag"));
    restore();
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(1));
  }
}
