package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class EventIngestTest {

  public static String batch(String... events) {
    return "{\"events\":[" + String.join(",", events) + "]}";
  }

  public static String event(String id, String customer, String type, String properties) {
    return "{\"eventId\":\"%s\",\"customerId\":\"%s\",\"type\":\"%s\",\"properties\":%s}"
        .formatted(id, customer, type, properties);
  }

  @Test
  void replayedEventIsAcknowledgedButNotCountedTwice() {
    String c = "c-" + UUID.randomUUID();
    String body =
        batch(
            event(c + "-1", c, "view", "{}"),
            event(c + "-2", c, "purchase", "{\"amount\":19.90,\"currency\":\"EUR\"}"));

    Ingested.post(body).body("accepted", equalTo(2)).body("duplicates", equalTo(0));
    post(body).statusCode(202).body("accepted", equalTo(0)).body("duplicates", equalTo(2));

    given()
        .get("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200)
        .body("version", equalTo(1))
        .body("features.eventCount", equalTo(2))
        .body("features.purchaseCount", equalTo(1))
        .body("features.monetary", equalTo(19.90f));
  }

  @Test
  void anOversizedCustomPayloadIsRejectedOnItsOwnWhileTheRestOfTheBatchIsKept() {
    String c = "c-" + UUID.randomUUID();
    String body =
        batch(
            event(c + "-1", c, "coupon_used", "{\"code\":\"" + "x".repeat(40_000) + "\"}"),
            event(c + "-2", c, "coupon_used", "{\"code\":\"WELCOME\"}"));
    post(body)
        .statusCode(202)
        .body("accepted", equalTo(1))
        .body("rejected", hasSize(1))
        .body("rejected[0].index", equalTo(0))
        .body("rejected[0].field", equalTo("properties"))
        .body("rejected[0].reason", equalTo("must be at most 32768 characters of JSON"));
  }

  @Test
  void keepsValidEventsAndListsRejectedOnesWithReason() {
    String c = "c-" + UUID.randomUUID();
    String body =
        batch(
            event(c + "-1", c, "view", "{}"),
            event(c + "-2", c, "purchase", "{\"amount\":-5}"),
            "{\"eventId\":\""
                + c
                + "-3\",\"customerId\":\""
                + c
                + "\",\"type\":\"view\","
                + "\"occurredAt\":\"2999-01-01T00:00:00Z\"}");

    post(body)
        .statusCode(202)
        .body("accepted", equalTo(1))
        .body("rejected", hasSize(2))
        .body("rejected[0].index", equalTo(1))
        .body("rejected[0].field", equalTo("properties.amount"))
        .body("rejected[1].index", equalTo(2))
        .body("rejected[1].field", equalTo("occurredAt"));
  }

  @Test
  void batchWithOnlyInvalidEventsIsAProblem() {
    post(batch(event("x-1", "c", "Not A Type", "{}")))
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("events[0].type"));
  }

  @Test
  void malformedJsonIsAProblemWithItsPosition() {
    post("{\"events\":[{\"eventId\":")
        .statusCode(400)
        .contentType("application/problem+json")
        .body("title", equalTo("Malformed JSON"))
        .body("detail", startsWith("The request body is not valid JSON at line 1"));
  }

  @Test
  void unknownFieldIsNamed() {
    post("{\"events\":[{\"eventId\":\"a\",\"customerId\":\"b\",\"type\":\"view\",\"colour\":1}]}")
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("events[0].colour"));
  }

  @Test
  void batchOverOneThousandEventsIsRefused() {
    String events =
        IntStream.range(0, 1001)
            .mapToObj(i -> event("big-" + i, "c", "view", "{}"))
            .collect(Collectors.joining(","));
    post("{\"events\":[" + events + "]}")
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("events"));
  }

  @Test
  void unknownRouteAndMissingProfileAreProblems() {
    given()
        .get("/api/v1/nothing-here")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    String body =
        given()
            .get("/api/v1/profiles/{id}", "nobody-" + UUID.randomUUID())
            .then()
            .statusCode(404)
            .contentType("application/problem+json")
            .extract()
            .asString();
    assertThat(body).doesNotContain("Exception").contains("No profile for customer");
  }

  @Test
  void concurrentBatchesOnTheSameCustomersAreEachCountedOnce() throws Exception {
    String run = "g-" + UUID.randomUUID();
    int batches = 12;
    int perBatch = 40;
    int customers = 5;
    List<Callable<io.restassured.response.Response>> posts = new ArrayList<>();
    for (int k = 0; k < batches; k++) {
      List<String> events = new ArrayList<>();
      for (int i = 0; i < perBatch; i++) {
        events.add(event(run + "-" + k + "-" + i, run + "-c" + i % customers, "view", "{}"));
      }
      if (k > 0) { // a replay of the previous batch's first event, in the same group or not
        events.add(event(run + "-" + (k - 1) + "-0", run + "-c0", "view", "{}"));
      }
      String body = batch(events.toArray(String[]::new));
      posts.add(() -> given().contentType(ContentType.JSON).body(body).post("/api/v1/events"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(batches);
    int accepted = 0;
    int duplicates = 0;
    try {
      for (Future<io.restassured.response.Response> f : pool.invokeAll(posts)) {
        io.restassured.response.Response r = f.get();
        assertThat(r.statusCode()).isEqualTo(202);
        accepted += r.<Integer>path("accepted");
        duplicates += r.<Integer>path("duplicates");
      }
    } finally {
      pool.shutdown();
    }
    // a replay of an event still on its way to the fold is accepted again; the fold keeps one
    assertThat(accepted + duplicates).isEqualTo(batches * perBatch + batches - 1);
    assertThat(accepted).isGreaterThanOrEqualTo(batches * perBatch);
    // everything folded, replays included, before counting exactly
    Ingested.awaitLogFolded();
    for (int c = 0; c < customers; c++) {
      Ingested.awaitEventCount(run + "-c" + c, batches * perBatch / customers);
      given()
          .get("/api/v1/profiles/{id}", run + "-c" + c)
          .then()
          .statusCode(200)
          .body("features.eventCount", equalTo(batches * perBatch / customers));
    }
  }

  @Test
  void anEventThePostgresCannotStoreIsRejectedAtAcceptanceAndItsNeighboursAreKept()
      throws Exception {
    String run = "n-" + UUID.randomUUID();
    List<Callable<io.restassured.response.Response>> posts = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      // the third batch carries a NUL character, which a PostgreSQL jsonb value cannot hold
      String note = k == 2 ? "bad\\u0000note" : "note " + k;
      String body =
          batch(
              event(run + "-" + k + "-a", run + "-c", "view", "{}"),
              event(run + "-" + k + "-b", run + "-c", "wishlist", "{\"note\":\"" + note + "\"}"));
      posts.add(() -> given().contentType(ContentType.JSON).body(body).post("/api/v1/events"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(posts.size());
    try {
      List<Future<io.restassured.response.Response>> answers = pool.invokeAll(posts);
      for (int k = 0; k < answers.size(); k++) {
        io.restassured.response.Response r = answers.get(k).get();
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
        assertThat(r.<Integer>path("accepted")).isEqualTo(k == 2 ? 1 : 2);
        if (k == 2) {
          assertThat(r.<Integer>path("rejected[0].index")).isEqualTo(1);
          assertThat(r.<String>path("rejected[0].reason")).contains("NUL character");
        }
      }
    } finally {
      pool.shutdown();
    }
    Ingested.awaitEventCount(run + "-c", 11);
    Ingested.awaitLogFolded();
    given()
        .get("/api/v1/profiles/{id}", run + "-c")
        .then()
        .statusCode(200)
        .body("features.eventCount", equalTo(11));
  }

  private static io.restassured.response.ValidatableResponse post(String body) {
    return given().contentType(ContentType.JSON).body(body).post("/api/v1/events").then();
  }
}
