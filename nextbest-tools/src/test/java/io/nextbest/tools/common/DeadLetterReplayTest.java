package io.nextbest.tools.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.messaging.DeadLetters;
import io.nextbest.common.testing.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class DeadLetterReplayTest {
  @Test
  void parkedRecordsGoBackToTheirTopicOnceHoweverOftenTheReplayRuns() {
    String topic = "nextbest.replay-test-" + UUID.randomUUID();
    String group = "replay-test-" + UUID.randomUUID();
    park(topic, "k1", "{\"id\":\"one\"}", "timeout while the database was down");
    park(topic, "k2", "tombstone", "timeout while the database was down");
    park(topic, "k3", "{\"id\":\"three\"}", "heap full");
    KafkaTopics.send(topic, "existing", "{}"); // the origin topic exists before the replay
    DeadLetterReplay replay = new DeadLetterReplay(KafkaTopics.bootstrap(), group);
    assertThat(replay.waiting(topic)).isEqualTo(3);
    try (var back = KafkaTopics.watch(topic)) {
      var result = replay.replay(topic);
      assertThat(result.replayed()).isEqualTo(3);
      assertThat(result.byReason())
          .containsEntry("timeout while the database was down", 2L)
          .containsEntry("heap full", 1L);
      var records = back.await(r -> r.key().startsWith("k"), 3, Duration.ofSeconds(30));
      assertThat(records).extracting(r -> r.key()).containsExactlyInAnyOrder("k1", "k2", "k3");
      // a parked tombstone goes back as a tombstone
      assertThat(records).filteredOn(r -> "k2".equals(r.key())).allMatch(r -> r.value() == null);
      assertThat(records)
          .allMatch(r -> r.headers().lastHeader(DeadLetterReplay.REPLAYED_FROM) != null);
      // nothing is replayed twice; what is parked later is replayed by the next run
      assertThat(replay.waiting(topic)).isZero();
      assertThat(replay.replay(topic).replayed()).isZero();
      park(topic, "k4", "{\"id\":\"four\"}", "outage");
      assertThat(replay.replay(topic).replayed()).isEqualTo(1);
      assertThat(back.collectFor(r -> r.key().startsWith("k"), Duration.ofSeconds(2))).hasSize(4);
    }
  }

  private static void park(String topic, String key, String value, String reason) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTopics.bootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (var producer = new KafkaProducer<String, String>(p)) {
      var record = new ProducerRecord<>(topic + ".dlq", key, value);
      record.headers().add(DeadLetters.REASON, reason.getBytes(StandardCharsets.UTF_8));
      record.headers().add(DeadLetters.TOPIC, topic.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
