package io.nextbest.content;

import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.FeatureSchema;
import io.nextbest.models.policy.LinearArm;
import io.nextbest.models.policy.ModelSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The artifacts the owners publish for the edge, as tests publish them. */
public final class EdgeArtifacts {
  private EdgeArtifacts() {}

  /** A live model of the default feature schema with these arms. */
  public static ModelSnapshot snapshot(
      long version, Instant publishedAt, Map<String, LinearArm> arms) {
    return new ModelSnapshot(
        version,
        Instant.parse("2026-12-01T00:00:00Z"),
        publishedAt,
        DecisionPolicy.Mode.LIVE,
        0.1,
        new DecisionPolicy.Settings(0.02, 0.1, 64, 0.25, 0.1),
        1,
        1000,
        7,
        FeatureSchema.defaults(),
        arms);
  }

  /** Publishes bytes (or a string's UTF-8) on a topic and waits for the acknowledgement. */
  public static void publish(String topic, Object value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTopics.bootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    byte[] bytes =
        value instanceof byte[] b ? b : value.toString().getBytes(StandardCharsets.UTF_8);
    try (var producer = new KafkaProducer<String, byte[]>(p)) {
      producer.send(new ProducerRecord<>(topic, "test", bytes)).get();
    }
  }

  /** Whether the condition holds within 15 seconds. */
  public static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 150; i++) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.getAsBoolean();
  }
}
