package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.nextbest.common.messaging.EventTypes;
import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Ingest through the log: an accepted batch is on {@code nextbest.events.v1} when the answer leaves
 * (checked within half a second of it); the log's consumers store and fold each event id once,
 * whatever the log holds twice; they drop an event whose customer was erased after acceptance, set
 * an unreadable record aside and go on; and the lag endpoint tells when everything accepted is
 * folded.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class EventLogTest {
  @Inject AgroalDataSource db;

  @Test
  void anAcceptedBatchIsInTheLogWhenAnsweredAndFoldedOnceThoughLoggedTwice() throws Exception {
    String c = "log-" + UUID.randomUUID();
    String view = EventIngestTest.event(c + "-1", c, "view", "{\"category\":\"tea\"}");
    try (var log = KafkaTopics.watch(Topics.EVENTS)) {
      given()
          .contentType(ContentType.JSON)
          .body(EventIngestTest.batch(view))
          .post("/api/v1/events")
          .then()
          .statusCode(202)
          .body("accepted", equalTo(1));
      // the answer left after the broker's acknowledgement: the record is there already
      var logged =
          log.collectFor(
              r -> c.equals(r.key()) && "view".equals(EventTypes.of(r)), Duration.ofMillis(500));
      assertThat(logged).hasSize(1);
      // with its type in a header, as every record of the topic
      assertThat(EventTypes.fromHeaders(logged.get(0).headers())).isEqualTo("view");
      assertThat(logged.get(0).value()).contains("\"id\":\"" + c + "-1\"");

      // the same record again (a producer retry, a replay in flight): stored and counted once
      append(c, logged.get(0).value());
      String second =
          "{\"id\":\"%s-2\",\"type\":\"view\",\"customerId\":\"%s\",\"occurredAt\":\"%s\",\"properties\":{}}"
              .formatted(c, c, java.time.Instant.now());
      append(c, second);
    }
    Ingested.awaitEventCount(c, 2);
    given()
        .get("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200)
        .body("features.eventCount", equalTo(2));
    assertThat(count("select count(*) from events where customer_id = ?", c)).isEqualTo(2);
  }

  @Test
  void anEventOfACustomerErasedAfterAcceptanceIsDroppedAtTheFold() throws Exception {
    String c = "log-" + UUID.randomUUID();
    Ingested.post(EventIngestTest.batch(EventIngestTest.event(c + "-1", c, "view", "{}")));
    given()
        .auth()
        .oauth2(TestJwt.token("admin"))
        .delete("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(204);
    // accepted before the erase, folded after it
    append(
        c,
        "{\"id\":\"%s-2\",\"type\":\"view\",\"customerId\":\"%s\",\"occurredAt\":\"%s\",\"properties\":{}}"
            .formatted(c, c, java.time.Instant.now().minusSeconds(60)));
    awaitLagZero();
    assertThat(count("select count(*) from events where customer_id = ?", c)).isZero();
    assertThat(count("select count(*) from customers where customer_id = ?", c)).isZero();
  }

  @Test
  void anUnreadableAcceptedRecordIsSetAsideAndTheFoldGoesOn() throws Exception {
    String marker = "poison-" + UUID.randomUUID();
    String c = "log-" + UUID.randomUUID();
    try (var dead = KafkaTopics.watch(Topics.EVENTS + ".dlq")) {
      // keyed by the customer of the next batch: the same partition, so the fold must get past it
      append(c, "{\"broken\": \"" + marker + "\", ");
      Ingested.post(EventIngestTest.batch(EventIngestTest.event(c + "-1", c, "view", "{}")));
      assertThat(dead.await(r -> r.value().contains(marker), 1, Duration.ofSeconds(30))).hasSize(1);
    }
  }

  @Test
  void theLagEndpointSaysWhenEverythingAcceptedIsFolded() throws Exception {
    String c = "log-" + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body(EventIngestTest.batch(EventIngestTest.event(c + "-1", c, "view", "{}")))
        .post("/api/v1/events")
        .then()
        .statusCode(202);
    awaitLagZero();
    assertThat(count("select count(*) from events where event_id = ?", c + "-1")).isEqualTo(1);
  }

  private static void awaitLagZero() {
    Ingested.awaitLogFolded();
  }

  /** Writes a record to the log as acceptance does. */
  private static void append(String key, String value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTopics.bootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (var producer = new KafkaProducer<String, String>(p)) {
      producer.send(new ProducerRecord<>(Topics.EVENTS, key, value)).get();
    }
  }

  private long count(String sql, String arg) throws Exception {
    try (Connection conn = db.getConnection();
        var st = conn.prepareStatement(sql)) {
      st.setString(1, arg);
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
