package io.nextbest.decision.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.learning.ModelStore;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.ModelSnapshot;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
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
 * otherwise, so that an edge can bound the age of what it decides with. Every replica publishes
 * what it decides with; they load the same state from PostgreSQL, and an edge keeps the newest.
 */
@ApplicationScoped
public class ModelPublisher {
  /** The record key of the snapshot: one per topic, so the latest record is the model. */
  public static final String KEY = "policy";

  private static final Logger LOG = Logger.getLogger(ModelPublisher.class);

  private final ModelStore models;
  private final DecisionPolicy policy;
  private final DecisionConfig config;
  private final MutinyEmitter<byte[]> snapshots;
  private final Counter published;
  private final Counter tooLarge;
  private final Duration republish;
  private volatile ModelStore.State lastState;
  private volatile Instant lastPublished = Instant.EPOCH;

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
    publishWhenChanged().subscribe().with(x -> {}, f -> {});
  }

  /** The republication when nothing changed, so that edges can bound the age of the model. */
  @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> publishWhenChanged() {
    ModelStore.State state = models.state();
    Instant now = Instant.now();
    if (!changed(lastState, state) && now.isBefore(lastPublished.plus(republish))) {
      return Uni.createFrom().voidItem();
    }
    byte[] bytes = snapshot(state, now).toBytes();
    if (bytes.length > config.edge().maxSnapshotBytes()) {
      tooLarge.increment();
      LOG.warnf(
          "model snapshot v%d of %,d bytes is over edge.max-snapshot-bytes (%,d): edges decide"
              + " over HTTP",
          state.model().version(), bytes.length, config.edge().maxSnapshotBytes());
      lastState = state;
      lastPublished = now;
      return Uni.createFrom().voidItem();
    }
    return snapshots
        .sendMessage(KeyedMessages.keyed(KEY, bytes))
        .invoke(
            () -> {
              lastState = state;
              lastPublished = now;
              published.increment();
            })
        .onFailure()
        .invoke(f -> LOG.debugf("model snapshot not published: %s", f.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
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
