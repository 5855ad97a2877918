package io.nextbest.decision.learning;

import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.policy.DecisionPolicy.Mode;
import io.nextbest.decision.policy.FeatureEncoder;
import io.nextbest.decision.policy.FeatureSchema;
import io.nextbest.decision.policy.LinearArm;
import io.nextbest.decision.policy.PolicyModel;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The model and mode in force on this replica. The shared state lives in PostgreSQL (arm statistics
 * and the policy row); every replica polls the model version and reloads when it moved, so a
 * restarted or second replica decides with the same model.
 */
@ApplicationScoped
public class ModelStore {
  private static final Logger LOG = Logger.getLogger(ModelStore.class);

  /**
   * What decides now.
   *
   * @param model arm models
   * @param mode apprentice or live
   * @param reason why the mode is what it is
   * @param changedAt when the mode last changed
   */
  public record State(
      PolicyModel model, Mode mode, String reason, Instant changedAt, String encoderId) {
    public String policyVersion() {
      return (mode == Mode.LIVE ? "thompson-v" : "apprentice-v") + model.version();
    }
  }

  private final Pool pool;
  private final DecisionConfig config;
  private final FeatureEncoder encoder;
  private volatile State state;
  private volatile boolean stateRowExists;

  public ModelStore(Pool pool, DecisionConfig config) {
    this.pool = pool;
    this.config = config;
    this.encoder = new FeatureEncoder(schema(config.features()));
    this.state =
        new State(
            PolicyModel.empty(config.ridge(), encoder.armPrior(config.armPrior())),
            initialMode(config),
            "initial",
            Instant.EPOCH,
            encoder.id());
  }

  /** The declared schema of the configuration. */
  static FeatureSchema schema(DecisionConfig.Features f) {
    return new FeatureSchema(
        f.version(),
        f.contextNumbers().orElse(List.of()),
        f.contextBooleans().orElse(List.of()),
        FeatureSchema.vocabularies(f.contextStrings().orElse(List.of())),
        f.traitNumbers().orElse(List.of()),
        f.traitBooleans().orElse(List.of()),
        FeatureSchema.vocabularies(f.traitStrings().orElse(List.of())),
        f.categories().orElse(List.of()),
        f.hashBuckets());
  }

  /** The encoder of the declared feature schema. */
  public FeatureEncoder encoder() {
    return encoder;
  }

  static Mode initialMode(DecisionConfig config) {
    return Mode.valueOf(config.initialMode().toUpperCase(Locale.ROOT));
  }

  public State state() {
    return state;
  }

  void onStart(@Observes StartupEvent e) {
    reload().subscribe().with(x -> {}, f -> LOG.warnf("model not loaded yet: %s", f.toString()));
  }

  @Scheduled(
      every = "${nextbest.decision.model-reload}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> poll() {
    return reload()
        .onFailure()
        .invoke(f -> LOG.debugf("model reload skipped: %s", f.toString()))
        .onFailure()
        .recoverWithNull();
  }

  /** Reads the policy row (created once per process) and reloads the arms when they changed. */
  public Uni<Void> reload() {
    Uni<?> ensured =
        stateRowExists
            ? Uni.createFrom().voidItem()
            : pool.preparedQuery(
                    "insert into policy_state (id, model_version, mode, mode_reason) values (1, 0,"
                        + " $1, 'initial mode') on conflict (id) do nothing")
                .execute(Tuple.of(initialMode(config).name().toLowerCase(Locale.ROOT)))
                .invoke(() -> stateRowExists = true);
    return ensured
        .chain(
            () ->
                pool.query("select model_version, mode, mode_reason, changed_at from policy_state")
                    .execute())
        .chain(
            rows -> {
              Row r = rows.iterator().next();
              long version = r.getLong(0);
              Mode mode = Mode.valueOf(r.getString(1).toUpperCase(Locale.ROOT));
              String reason = r.getString(2);
              Instant changedAt = r.getOffsetDateTime(3).toInstant();
              State current = state;
              if (version == current.model().version()) {
                if (mode != current.mode() || !changedAt.equals(current.changedAt())) {
                  state = new State(current.model(), mode, reason, changedAt, encoder.id());
                }
                return Uni.createFrom().voidItem();
              }
              return pool.preparedQuery(
                      "select arm_id, encoder, stats from arm_models where encoder = $1")
                  .execute(Tuple.of(encoder.id()))
                  .invoke(
                      arms ->
                          state =
                              new State(
                                  model(version, arms), mode, reason, changedAt, encoder.id()))
                  .replaceWithVoid();
            });
  }

  private PolicyModel model(long version, RowSet<Row> rows) {
    Map<String, LinearArm> arms = new HashMap<>();
    for (Row r : rows) {
      if (encoder.id().equals(r.getString(1))) {
        arms.put(r.getString(0), LinearArm.fromBytes(r.getBuffer(2).getBytes()));
      }
    }
    return new PolicyModel(version, arms, config.ridge(), encoder.armPrior(config.armPrior()));
  }

  /** Changes the mode (persisted, so every replica follows). */
  public Uni<Void> setMode(Mode mode, String reason) {
    return pool.preparedQuery(
            "update policy_state set mode = $1, mode_reason = $2, changed_at = now()")
        .execute(Tuple.of(mode.name().toLowerCase(Locale.ROOT), reason))
        .chain(this::reload);
  }
}
