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
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class EventIngestTest {

  static String batch(String... events) {
    return "{\"events\":[" + String.join(",", events) + "]}";
  }

  static String event(String id, String customer, String type, String properties) {
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

    post(body).statusCode(202).body("accepted", equalTo(2)).body("duplicates", equalTo(0));
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

  private static io.restassured.response.ValidatableResponse post(String body) {
    return given().contentType(ContentType.JSON).body(body).post("/api/v1/events").then();
  }
}
