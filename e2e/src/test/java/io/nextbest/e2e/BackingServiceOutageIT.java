package io.nextbest.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL and Kafka both taken away from the four running services — PostgreSQL behind a proxy
 * that drops every connection, the system's own Kafka broker killed with SIGKILL — and brought
 * back: readiness says so promptly on every service, writes get 503 with Retry-After instead of
 * being lost, and everything recovers on its own.
 */
class BackingServiceOutageIT extends IsolatedSystemTest {

  @Test
  void readinessReportsPostgresAndKafkaOutageAndRecovers() throws Exception {
    postgres.cut();
    kafka.kill();
    long down;
    try {
      // each answer must come within the client's 5 s timeout, and all turn 503 within 20 s
      down = system.awaitAll("/q/health/ready", 503, Duration.ofSeconds(20));

      given()
          .contentType(ContentType.JSON)
          .body(batch("outage-" + UUID.randomUUID(), "during"))
          .post(system.url("profile") + "/api/v1/events")
          .then()
          .statusCode(503)
          .contentType("application/problem+json")
          .header("Retry-After", notNullValue());
    } finally {
      postgres.restore();
      kafka.start();
    }
    long up = system.awaitAll("/q/health/ready", 200, Duration.ofSeconds(90));
    System.out.printf("readiness: all down after %d ms, all up %d ms after restore%n", down, up);

    // after recovery an event is accepted, stored and its profile reflects it exactly once
    String customer = "outage-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body(batch(customer, "after"))
        .post(system.url("profile") + "/api/v1/events")
        .then()
        .statusCode(202)
        .body("accepted", equalTo(1));
    // folded by the log's consumers once they have rejoined their group
    long deadline = System.currentTimeMillis() + 60_000;
    while (given()
                .get(system.url("profile") + "/api/v1/profiles/{id}", customer)
                .then()
                .extract()
                .statusCode()
            != 200
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    given()
        .get(system.url("profile") + "/api/v1/profiles/{id}", customer)
        .then()
        .statusCode(200)
        .body("features.eventCount", equalTo(1));
    assertThat(down).isLessThan(20_000);
  }

  private static String batch(String customer, String suffix) {
    return "{\"events\":[{\"eventId\":\""
        + customer
        + "-"
        + suffix
        + "\",\"customerId\":\""
        + customer
        + "\",\"type\":\"view\",\"properties\":{\"sku\":\"A1\"}}]}";
  }
}
