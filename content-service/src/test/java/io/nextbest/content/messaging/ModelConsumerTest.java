package io.nextbest.content.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.common.testing.TestJwt;
import io.nextbest.content.EdgeArtifacts;
import io.nextbest.content.service.EdgeModel;
import io.nextbest.events.Topics;
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
import java.util.concurrent.ThreadLocalRandom;
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
    return EdgeArtifacts.snapshot(version, publishedAt, Map.of(PolicyModel.BASE, base));
  }

  @Test
  void aPublishedModelIsDecidedWithUntilItIsTooOld() throws Exception {
    long version = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    Instant now = Instant.now();
    EdgeArtifacts.publish(Topics.MODELS, snapshot(version, now).toBytes());

    assertThat(
            EdgeArtifacts.eventually(
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

    EdgeArtifacts.publish(Topics.MODELS, snapshot(version + 1, now.minusSeconds(3600)).toBytes());
    assertThat(EdgeArtifacts.eventually(() -> edge.fresh(Instant.now()) == null)).isTrue();
  }

  @Test
  void anUnreadableSnapshotIsCountedAndThePreviousModelStays() throws Exception {
    long version = ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    EdgeArtifacts.publish(Topics.MODELS, snapshot(version, Instant.now()).toBytes());
    assertThat(
            EdgeArtifacts.eventually(
                () ->
                    edge.fresh(Instant.now()) != null
                        && edge.fresh(Instant.now()).snapshot().version() == version))
        .isTrue();
    double before = registry.get("nextbest.content.edge.snapshots.refused").counter().count();

    EdgeArtifacts.publish(Topics.MODELS, "{\"not\": \"a snapshot\"}".getBytes());

    assertThat(
            EdgeArtifacts.eventually(
                () ->
                    registry.get("nextbest.content.edge.snapshots.refused").counter().count()
                        > before))
        .isTrue();
    assertThat(edge.fresh(Instant.now()).snapshot().version()).isEqualTo(version);
  }
}
