package io.nextbest.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A consumer whose handler is blocked beyond the commit throttle fails its channel; the service
 * heals without a human: its watchdog exits (code 3), the supervisor starts it again, the consumer
 * resumes from its last committed offset, and every record is processed once.
 */
class ConsumerRecoveryIT {
  private static IsolatedSystem isolated;

  @BeforeAll
  static void start() throws Exception {
    isolated =
        new IsolatedSystem(
            Map.of(
                // the decision log's records may wait 8 s unacknowledged (60 s by default)
                "NEXTBEST_DECISION_LOG_MAX_WAIT_MS", "8000",
                "NEXTBEST_MESSAGING_EXIT_AFTER", "3s",
                "NEXTBEST_MESSAGING_WATCH_INTERVAL", "1s"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (isolated != null) {
      isolated.close();
    }
  }

  @Test
  void aConsumerBlockedBeyondItsCommitThrottleIsRestartedAndLosesNothing() throws Exception {
    NextBestSystem system = isolated.system;
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> ids = new ArrayList<>();
    List<Map.Entry<String, String>> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String id = "d:recovery-" + run + "-" + i;
      ids.add(id);
      records.add(
          new AbstractMap.SimpleEntry<>(
              "recovery-" + run,
              ("{\"id\":\"%s\",\"type\":\"decision\",\"customerId\":\"recovery-%s\","
                      + "\"occurredAt\":\"%s\",\"propensity\":1.0,\"policyVersion\":"
                      + "\"manual-priority-1\",\"control\":false,\"candidates\":[],"
                      + "\"features\":{}}")
                  .formatted(id, run, Instant.now())));
    }
    // the database goes away while decisions arrive: the decision log's handler waits it out,
    // holding its records beyond the commit throttle, and the channel fails
    isolated.postgres.cut();
    send(isolated.kafka.bootstrap(), records);
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (system.exits("decision").isEmpty() && System.nanoTime() < end) {
      Thread.sleep(250);
    }
    assertThat(system.exits("decision"))
        .as("decision-service exits for a restart once its channel has failed")
        .contains(3);
    isolated.postgres.restore();
    system.awaitStatus("decision", "/q/health/ready", 200, Duration.ofSeconds(120));
    for (String id : ids) {
      await(id);
    }
    // the other services rode the short outage out in place
    for (String service : List.of("profile", "eligibility", "content")) {
      assertThat(system.exits(service)).isEmpty();
      system.awaitStatus(service, "/q/health/ready", 200, Duration.ofSeconds(60));
    }
  }

  private static void await(String decisionId) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int status = -1;
    while (System.nanoTime() < end) {
      status =
          given()
              .get(isolated.system.url("decision") + "/api/v1/decisions/{id}", decisionId)
              .statusCode();
      if (status == 200) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        decisionId + " is not in the decision log (last answer " + status + ")");
  }

  private static void send(String bootstrap, List<Map.Entry<String, String>> records)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (var producer = new KafkaProducer<String, String>(p)) {
      for (var r : records) {
        producer.send(new ProducerRecord<>(Topics.DECISIONS, r.getKey(), r.getValue())).get();
      }
    }
  }
}
