package io.nextbest.content.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.common.testing.KafkaTopics;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.content.service.EdgeModel;
import io.nextbest.events.Topics;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.FeatureEncoder;
import io.nextbest.models.policy.FeatureSchema;
import io.nextbest.models.policy.LinearArm;
import io.nextbest.models.policy.ModelSnapshot;
import io.nextbest.models.policy.PolicyModel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class ModelConsumerTest {
  @Inject EdgeModel edge;
  @Inject MeterRegistry registry;

  private static ModelSnapshot snapshot(long version, Instant publishedAt) {
    FeatureSchema schema = FeatureSchema.defaults();
    int d = new FeatureEncoder(schema).names().size();
    LinearArm base = new LinearArm(d);
    double[] x = new double[d];
    x[0] = 1;
    base.update(x, 3.5);
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
        schema,
        Map.of(PolicyModel.BASE, base));
  }

  private static void publish(byte[] bytes) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTopics.bootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (var producer = new KafkaProducer<String, byte[]>(p)) {
      producer.send(new ProducerRecord<>(Topics.MODELS, "policy", bytes)).get();
    }
  }

  private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 150; i++) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.getAsBoolean();
  }

  @Test
  void aPublishedModelIsDecidedWithUntilItIsTooOld() throws Exception {
    long version = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    Instant now = Instant.now();
    publish(snapshot(version, now).toBytes());

    assertThat(
            eventually(
                () ->
                    edge.fresh(Instant.now()) != null
                        && edge.fresh(Instant.now()).snapshot().version() == version))
        .isTrue();
    EdgeModel.Loaded loaded = edge.fresh(Instant.now());
    assertThat(loaded.inForce().policyVersion()).isEqualTo("thompson-v" + version);
    assertThat(loaded.inForce().model().observations(PolicyModel.BASE)).isEqualTo(1);
    assertThat(loaded.decider().encoder().id()).isEqualTo(FeatureSchema.defaults().id());
    // past the configured age (60 s) the edge no longer decides with it
    assertThat(edge.fresh(now.plusSeconds(61))).isNull();

    publish(snapshot(version + 1, now.minusSeconds(3600)).toBytes());
    assertThat(eventually(() -> edge.fresh(Instant.now()) == null)).isTrue();
  }

  @Test
  void anUnreadableSnapshotIsCountedAndThePreviousModelStays() throws Exception {
    long version = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    publish(snapshot(version, Instant.now()).toBytes());
    assertThat(
            eventually(
                () ->
                    edge.fresh(Instant.now()) != null
                        && edge.fresh(Instant.now()).snapshot().version() == version))
        .isTrue();
    double before = registry.get("nextbest.content.edge.snapshots.refused").counter().count();

    publish("{\"not\": \"a snapshot\"}".getBytes());

    assertThat(
            eventually(
                () ->
                    registry.get("nextbest.content.edge.snapshots.refused").counter().count()
                        > before))
        .isTrue();
    assertThat(edge.fresh(Instant.now()).snapshot().version()).isEqualTo(version);
  }
}
