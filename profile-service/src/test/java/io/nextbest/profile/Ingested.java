package io.nextbest.profile;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Posts a batch and waits until the log's consumers folded it: every event the answer accepted (or
 * counted as a replay) is stored, and each changed profile reads back at its stored version, so a
 * test reads its own writes as a client would once ingest caught up.
 */
final class Ingested {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_MS = 30_000;

  private Ingested() {}

  /** Posts the batch, expects a 202, and waits for its fold. */
  static ValidatableResponse post(String body) {
    ValidatableResponse answer =
        given()
            .contentType(ContentType.JSON)
            .body(body)
            .post("/api/v1/events")
            .then()
            .statusCode(202);
    awaitFolded(body, answer.extract().asString());
    return answer;
  }

  /**
   * Waits until the batch's events that were not rejected are stored and their profiles read back.
   */
  static void awaitFolded(String body, String answer) {
    try {
      Set<Integer> rejected = new HashSet<>();
      JSON.readTree(answer).path("rejected").forEach(r -> rejected.add(r.path("index").asInt()));
      List<String> ids = new ArrayList<>();
      JsonNode events = JSON.readTree(body).path("events");
      for (int i = 0; i < events.size(); i++) {
        if (!rejected.contains(i)) {
          ids.add(events.get(i).path("eventId").asText());
        }
      }
      Map<String, Long> versions = awaitStored(Set.copyOf(ids));
      long deadline = System.currentTimeMillis() + TIMEOUT_MS;
      for (var v : versions.entrySet()) {
        while (given().get("/api/v1/profiles/{id}", v.getKey()).then().extract().path("version")
                instanceof Integer read
            ? read < v.getValue()
            : true) {
          waitOrFail(deadline, "profile " + v.getKey() + " at version " + v.getValue());
        }
      }
    } catch (java.io.IOException | java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the log's consumers have folded everything on the log. */
  static void awaitLogFolded() {
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    while (given()
            .get("/api/v1/events/lag")
            .then()
            .statusCode(200)
            .extract()
            .<Integer>path("eventsBehind")
        != 0) {
      waitOrFail(deadline, "the log folded");
    }
  }

  /** Waits until the customer's profile counts at least {@code events} events. */
  static void awaitEventCount(String customerId, int events) {
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    while (given()
                .get("/api/v1/profiles/{id}", customerId)
                .then()
                .extract()
                .path("features.eventCount")
            instanceof Integer n
        ? n < events
        : true) {
      waitOrFail(deadline, "profile " + customerId + " with " + events + " events");
    }
  }

  /** Waits until every id is stored; the stored version of each of their customers. */
  private static Map<String, Long> awaitStored(Set<String> ids) throws java.sql.SQLException {
    AgroalDataSource db = Arc.container().instance(AgroalDataSource.class).get();
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    try (Connection c = db.getConnection();
        PreparedStatement count =
            c.prepareStatement("select count(*) from events where event_id = any(?)");
        PreparedStatement versions =
            c.prepareStatement(
                "select customer_id, version from customers where customer_id in"
                    + " (select customer_id from events where event_id = any(?))")) {
      var array = c.createArrayOf("text", ids.toArray());
      count.setArray(1, array);
      while (true) {
        try (ResultSet r = count.executeQuery()) {
          r.next();
          if (r.getLong(1) >= ids.size()) {
            break;
          }
        }
        waitOrFail(deadline, "events " + ids + " stored");
      }
      versions.setArray(1, array);
      Map<String, Long> out = new HashMap<>();
      try (ResultSet r = versions.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), r.getLong(2));
        }
      }
      return out;
    }
  }

  private static void waitOrFail(long deadline, String what) {
    if (System.currentTimeMillis() > deadline) {
      throw new AssertionError("not folded within " + TIMEOUT_MS + " ms: " + what);
    }
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
