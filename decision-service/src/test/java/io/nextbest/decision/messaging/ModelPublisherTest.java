package io.nextbest.decision.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.decision.learning.ModelStore;
import io.nextbest.events.Topics;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.ModelSnapshot;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class ModelPublisherTest {
  @Inject ModelStore models;

  @Test
  void theModelInForceIsPublishedAndPublishedAgainWhileNothingChanges() {
    try (var topic = new SnapshotWatch()) {
      ModelSnapshot first = topic.next(s -> true);
      ModelSnapshot again = topic.next(s -> s.publishedAt().isAfter(first.publishedAt()));

      ModelStore.State state = models.state();
      assertThat(first.version()).isEqualTo(state.model().version());
      assertThat(first.schema().id()).isEqualTo(models.encoder().id());
      assertThat(first.deciding()).isEqualTo(state.deciding());
      assertThat(first.arms().keySet()).isEqualTo(state.model().stats().keySet());
      assertThat(again.version()).isEqualTo(first.version());
    }
  }

  @Test
  void aModeChangeReachesTheTopicAtTheNextModelCheck() {
    String mode = given().get("/api/v1/policies/current").then().extract().path("mode");
    String other = "apprentice".equals(mode) ? "live" : "apprentice";
    try (var topic = new SnapshotWatch()) {
      Instant asked = Instant.now();
      given()
          .contentType(ContentType.JSON)
          .body("{\"mode\":\"" + other + "\",\"reason\":\"edge publication test\"}")
          .put("/api/v1/policies/current/mode")
          .then()
          .statusCode(200);

      ModelSnapshot changed = topic.next(s -> !s.changedAt().isBefore(asked.minusSeconds(1)));

      assertThat(changed.deciding())
          .isEqualTo(models.state().deciding())
          .isEqualTo(
              "live".equals(other) ? DecisionPolicy.Mode.LIVE : DecisionPolicy.Mode.APPRENTICE);
    } finally {
      given()
          .contentType(ContentType.JSON)
          .body("{\"mode\":\"" + mode + "\",\"reason\":\"restored by a test\"}")
          .put("/api/v1/policies/current/mode")
          .then()
          .statusCode(200);
    }
  }

  /** The models topic read from its end as it was when opened. */
  private static final class SnapshotWatch implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;

    SnapshotWatch() {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTopics.bootstrap());
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-models-" + UUID.randomUUID());
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      consumer = new KafkaConsumer<>(p);
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.MODELS, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(Topics.MODELS, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
    }

    /** The next snapshot published that matches, within 20 seconds. */
    ModelSnapshot next(Predicate<ModelSnapshot> match) {
      Instant end = Instant.now().plusSeconds(20);
      while (Instant.now().isBefore(end)) {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          assertThat(r.key()).isEqualTo(ModelPublisher.KEY);
          ModelSnapshot s = ModelSnapshot.fromBytes(r.value());
          if (match.test(s)) {
            return s;
          }
        }
      }
      throw new AssertionError("no matching model snapshot published within 20 s");
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
