package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.profile.config.IngestConfig;
import io.nextbest.profile.repository.EraseLock;
import io.nextbest.profile.service.EventIntake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batches waiting to be screened and logged are bounded: beyond the limits a batch is answered
 * 503 with Retry-After, like any other back-pressure, and taken when resent later.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class EventIntakeLimitTest {
  @Inject EventIntake ingest;
  @Inject AgroalDataSource db;
  @Inject IngestConfig config;

  @AfterEach
  void restore() {
    ingest.maxQueued(config.maxQueuedEvents(), config.maxQueuedBytes());
  }

  private static int post(String body) {
    return given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/events")
        .then()
        .extract()
        .statusCode();
  }

  @Test
  void aBatchBeyondWhatIsInFlightIsAnsweredWithRetryAfterAndTakenWhenSentAgain() throws Exception {
    String held = "queue-" + UUID.randomUUID();
    String waiting = "queue-" + UUID.randomUUID();
    ProfileFeaturesTest.ingest(
        EventIngestTest.batch(EventIngestTest.event(held + "-0", held, "view", "{}")));
    String heldBatch =
        EventIngestTest.batch(EventIngestTest.event(held + "-1", held, "view", "{}"));
    String waitingBatch =
        EventIngestTest.batch(EventIngestTest.event(waiting + "-1", waiting, "view", "{}"));

    CompletableFuture<Integer> first;
    try (Connection lock = db.getConnection()) {
      // an erase under way elsewhere: a batch waits for it in its screening
      lock.setAutoCommit(false);
      try (var st = lock.prepareStatement(EraseLock.EXCLUSIVE)) {
        st.executeQuery().close();
      }
      first = CompletableFuture.supplyAsync(() -> post(heldBatch));
      while (ingest.inFlightEvents() == 0 && !first.isDone()) {
        Thread.sleep(20);
      }
      assertThat(ingest.inFlightEvents()).isEqualTo(1);

      ingest.maxQueued(1, config.maxQueuedBytes());
      given()
          .contentType(ContentType.JSON)
          .body(waitingBatch)
          .post("/api/v1/events")
          .then()
          .statusCode(503)
          .header("Retry-After", "2")
          .contentType("application/problem+json")
          .body("title", equalTo("Ingest is behind"))
          .body("detail", containsString("nextbest.ingest.max-queued-events"));

      ingest.maxQueued(config.maxQueuedEvents(), 1);
      given()
          .contentType(ContentType.JSON)
          .body(waitingBatch)
          .post("/api/v1/events")
          .then()
          .statusCode(503)
          .header("Retry-After", "2")
          .body("detail", containsString("nextbest.ingest.max-queued-bytes"));
      // a refused batch holds nothing
      assertThat(ingest.inFlightEvents()).isEqualTo(1);
      lock.rollback();
    }
    assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(202);
    assertThat(ingest.inFlightEvents()).isZero();

    // with nothing in flight, even a batch over the limits is taken
    given()
        .contentType(ContentType.JSON)
        .body(waitingBatch)
        .post("/api/v1/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(1));
  }
}
