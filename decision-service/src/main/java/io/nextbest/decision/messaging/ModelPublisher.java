package io.nextbest.decision.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.learning.ModelStore;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.ModelSnapshot;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes the model in force as a {@link ModelSnapshot} on the compacted {@code
 * nextbest.models.v1} (key {@value #KEY}), from which content-service decides in-process: as soon
 * as the version, the mode or the canary share in force moved, and every {@code edge.republish}
 * otherwise, so that an edge can bound the age of what it decides with. Nothing is published before
 * the replica has read the model from PostgreSQL. Every replica publishes what it decides with;
 * they load the same state, and an edge takes the latest record on the topic (a replica a reload
 * behind may publish the previous model for up to {@code model-reload}). Encoding runs on a worker
 * thread, never on the event loop that answers decisions.
 */
@ApplicationScoped
public class ModelPublisher {
  /** The record key of the snapshot: one per topic, so the latest record is the model. */
  public static final String KEY = "policy";

  private static final Logger LOG = Logger.getLogger(ModelPublisher.class);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

  private final ModelStore models;
  private final DecisionPolicy policy;
  private final DecisionConfig config;
  private final MutinyEmitter<byte[]> snapshots;
  private final Counter published;
  private final Counter tooLarge;
  private final Duration republish;
  private ModelStore.State lastState;
  private Instant lastPublished = Instant.EPOCH;

  public ModelPublisher(
      ModelStore models,
      DecisionPolicy policy,
      DecisionConfig config,
      @Channel("models") @OnOverflow(value = OnOverflow.Strategy.DROP)
          MutinyEmitter<byte[]> snapshots,
      MeterRegistry registry) {
    this.models = models;
    this.policy = policy;
    this.config = config;
    this.snapshots = snapshots;
    this.republish = config.edge().republish();
    this.published =
        Counter.builder("nextbest.decision.model.snapshots")
            .tag("outcome", "published")
            .description("model snapshots published for edges")
            .register(registry);
    this.tooLarge =
        Counter.builder("nextbest.decision.model.snapshots")
            .tag("outcome", "too-large")
            .description("model snapshots published for edges")
            .register(registry);
  }

  /** A change of the state in force leaves at once (the mode set through this replica, a model). */
  void onChange(@ObservesAsync ModelStore.Changed change) {
    publishWhenChanged();
  }

  /** The republication when nothing changed, so that edges can bound the age of the model. */
  @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void republish() {
    publishWhenChanged();
  }

  /**
   * Publishes the state in force when it changed or is due again; blocks, so never on an event
   * loop.
   */
  synchronized void publishWhenChanged() {
    if (!models.loaded()) {
      return;
    }
    ModelStore.State state = models.state();
    Instant now = Instant.now();
    if (!changed(lastState, state) && now.isBefore(lastPublished.plus(republish))) {
      return;
    }
    byte[] bytes = snapshot(state, now).toBytes();
    if (bytes.length > config.edge().maxSnapshotBytes()) {
      tooLarge.increment();
      LOG.warnf(
          "model snapshot v%d of %,d bytes is over edge.max-snapshot-bytes (%,d): edges keep the"
              + " model they hold until it is edge.max-model-age old, then decide over HTTP",
          state.model().version(), bytes.length, config.edge().maxSnapshotBytes());
      lastState = state;
      lastPublished = now;
      return;
    }
    try {
      snapshots.sendMessage(KeyedMessages.keyed(KEY, bytes)).await().atMost(SEND_TIMEOUT);
      lastState = state;
      lastPublished = now;
      published.increment();
    } catch (RuntimeException f) {
      LOG.debugf("model snapshot not published: %s", f.toString());
    }
  }

  /** Whether an edge deciding with {@code before} would decide differently from {@code now}. */
  static boolean changed(ModelStore.State before, ModelStore.State now) {
    return before == null
        || before.model().version() != now.model().version()
        || before.deciding() != now.deciding()
        || before.modelShare() != now.modelShare()
        || !before.changedAt().equals(now.changedAt());
  }

  ModelSnapshot snapshot(ModelStore.State state, Instant at) {
    return new ModelSnapshot(
        state.model().version(),
        state.changedAt(),
        at,
        state.deciding(),
        state.modelShare(),
        policy.settings(),
        config.ridge(),
        config.armPrior(),
        config.reward().horizonDays(),
        models.encoder().schema(),
        state.model().stats());
  }
}
