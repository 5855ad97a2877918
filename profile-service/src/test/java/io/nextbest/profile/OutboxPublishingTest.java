package io.nextbest.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.events.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class OutboxPublishingTest {
  @Inject AgroalDataSource db;

  @Test
  void aRecordTheBrokerCannotTakeIsParkedWithItsReasonAndEverythingBehindItFlowsOn()
      throws Exception {
    String big = "c-" + UUID.randomUUID();
    String c = "c-" + UUID.randomUUID();
    try (var profiles = KafkaTopics.watch(Topics.PROFILES)) {
      // a row over the broker's record limit, as an unbounded input once wrote one
      try (var conn = db.getConnection();
          var st =
              conn.prepareStatement(
                  "insert into outbox (topic, message_key, payload) values (?, ?, ?)")) {
        st.setString(1, Topics.EVENTS);
        st.setString(2, big);
        st.setString(3, "{\"blob\":\"" + "x".repeat(2_000_000) + "\"}");
        st.executeUpdate();
      }
      given()
          .contentType(ContentType.JSON)
          .body(
              EventIngestTest.batch(
                  EventIngestTest.event(c + "-1", c, "view", "{\"category\":\"shoes\"}")))
          .post("/api/v1/events")
          .then()
          .statusCode(202);

      // the event's snapshot leaves through the outbox, behind the parked row
      assertThat(profiles.await(r -> c.equals(r.key()), 1, Duration.ofSeconds(20))).hasSize(1);
    }
    try (var conn = db.getConnection();
        var st =
            conn.prepareStatement(
                "select reason, length(payload) from outbox_parked where message_key = ?")) {
      st.setString(1, big);
      try (var rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1))
            .contains("over nextbest.outbox.max-record-bytes 1000000")
            .contains("2000113 bytes");
        assertThat(rs.getInt(2)).isEqualTo(2_000_011);
      }
    }
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(org.hamcrest.Matchers.containsString("nextbest_outbox_parked_total"));
  }

  @Test
  void acceptedEventAndProfileSnapshotArePublishedKeyedByCustomer() {
    String c = "c-" + UUID.randomUUID();
    try (var events = KafkaTopics.watch(Topics.EVENTS);
        var profiles = KafkaTopics.watch(Topics.PROFILES)) {
      String body =
          EventIngestTest.batch(
              EventIngestTest.event(c + "-1", c, "add_to_cart", "{\"sku\":\"A-1\"}"));
      // the same event again once it is stored: a duplicate, not logged a second time
      Ingested.post(body);
      given()
          .contentType(ContentType.JSON)
          .body(body)
          .post("/api/v1/events")
          .then()
          .statusCode(202)
          .body("duplicates", org.hamcrest.Matchers.equalTo(1));

      // segment_entered / segment_exited events share the topic; only the behavioural one counts
      var published =
          events.await(
              r -> c.equals(r.key()) && !r.value().contains("\"type\":\"segment_"),
              1,
              Duration.ofSeconds(20));
      assertThat(published).hasSize(1);
      assertThat(published.get(0).value())
          .contains("\"id\":\"" + c + "-1\"")
          .contains("\"sku\":\"A-1\"");

      var snapshots = profiles.await(r -> c.equals(r.key()), 1, Duration.ofSeconds(20));
      assertThat(snapshots).hasSize(1);
      assertThat(snapshots.get(0).value())
          .contains("\"id\":\"" + c + ":1\"")
          .contains("\"eventCount\":1");
      assertThat(
              events.collectFor(
                  r -> c.equals(r.key()) && !r.value().contains("\"type\":\"segment_"),
                  Duration.ofSeconds(2)))
          .hasSize(1);
    }
  }

  @Test
  void aSnapshotSaysWhenItsChangeHappenedSoAnImportIsNotTakenForNow() {
    String c = "c-" + UUID.randomUUID();
    try (var profiles = KafkaTopics.watch(Topics.PROFILES)) {
      given()
          .contentType(ContentType.JSON)
          .body(
              EventIngestTest.batch(
                  ("{\"eventId\":\"%s-1\",\"customerId\":\"%s\",\"type\":\"view\","
                          + "\"occurredAt\":\"2025-03-02T10:00:00Z\",\"properties\":{}}")
                      .formatted(c, c),
                  ("{\"eventId\":\"%s-2\",\"customerId\":\"%s\",\"type\":\"view\","
                          + "\"occurredAt\":\"2025-03-01T10:00:00Z\",\"properties\":{}}")
                      .formatted(c, c)))
          .post("/api/v1/events")
          .then()
          .statusCode(202);
      var snapshots = profiles.await(r -> c.equals(r.key()), 1, Duration.ofSeconds(20));
      assertThat(snapshots).hasSize(1);
      // the latest of the folded events, not the moment the version was written
      assertThat(snapshots.get(0).value())
          .contains("\"changedAt\":\"2025-03-02T10:00:00Z\"")
          .doesNotContain("\"occurredAt\":\"2025-03-02T10:00:00Z\"");
    }
  }

  @Test
  void attributeChangePublishesNewSnapshotAndRefreshesCache() {
    String c = "c-" + UUID.randomUUID();
    try (var profiles = KafkaTopics.watch(Topics.PROFILES)) {
      given()
          .contentType(ContentType.JSON)
          .body("{\"attributes\":{\"name\":\"Ada\",\"locale\":\"en-GB\"}}")
          .put("/api/v1/profiles/{id}", c)
          .then()
          .statusCode(200);
      var snapshots = profiles.await(r -> c.equals(r.key()), 1, Duration.ofSeconds(20));
      assertThat(snapshots).hasSize(1);
      assertThat(snapshots.get(0).value()).contains("\"name\":\"Ada\"");
      // a change made through the API happened when it was written
      var snapshot = io.restassured.path.json.JsonPath.from(snapshots.get(0).value());
      assertThat(snapshot.getString("changedAt")).isEqualTo(snapshot.getString("occurredAt"));
    }
    given()
        .get("/api/v1/profiles/{id}", c)
        .then()
        .statusCode(200)
        .body("attributes.name", org.hamcrest.Matchers.equalTo("Ada"));
  }
}
