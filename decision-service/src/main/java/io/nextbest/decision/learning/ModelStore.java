package io.nextbest.decision.learning;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.repository.ArmModelRepository;
import io.nextbest.decision.repository.PolicyStateRepository;
import io.nextbest.models.policy.Decider;
import io.nextbest.models.policy.DecisionPolicy.Mode;
import io.nextbest.models.policy.FeatureEncoder;
import io.nextbest.models.policy.FeatureSchema;
import io.nextbest.models.policy.LinearArm;
import io.nextbest.models.policy.PolicyModel;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The model and mode in force on this replica. The shared state lives in PostgreSQL (arm statistics
 * and the policy row); every replica polls the model version and reloads when it moved, so a
 * restarted or second replica decides with the same model. Operators see the mode in {@code
 * nextbest_decision_policy_mode} (1 live, 0 apprentice) and the model version in {@code
 * nextbest_decision_policy_model_version}.
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
   * @param encoderId the feature encoder's id
   * @param learning live mode's learning phase (see {@link Mode#LEARNING})
   * @param modelShare the canary share of apprentice decisions (and of live mode's learning phase)
   *     drawn from the live policy
   */
  public record State(
      PolicyModel model,
      Mode mode,
      String reason,
      Instant changedAt,
      String encoderId,
      boolean learning,
      double modelShare) {
    /** Who decides: apprentice, live, or live mode's learning phase. */
    public Mode deciding() {
      return mode == Mode.LIVE && learning ? Mode.LEARNING : mode;
    }

    public String policyVersion() {
      return Decider.InForce.policyVersion(deciding(), model.version());
    }

    /** What decides, as the decider takes it. */
    public Decider.InForce inForce() {
      return new Decider.InForce(model, deciding(), modelShare, policyVersion());
    }
  }

  private final PolicyStateRepository policyState;
  private final ArmModelRepository armModels;
  private final DecisionConfig config;
  private final FeatureEncoder encoder;
  private volatile State state;
  private volatile boolean loaded;
  private final Event<Changed> changed;
  private volatile boolean stateRowExists;

  public ModelStore(
      PolicyStateRepository policyState,
      ArmModelRepository armModels,
      DecisionConfig config,
      MeterRegistry registry,
      Event<Changed> changed) {
    this.changed = changed;
    this.policyState = policyState;
    this.armModels = armModels;
    this.config = config;
    this.encoder = new FeatureEncoder(schema(config.features()));
    this.state =
        new State(
            PolicyModel.empty(config.ridge(), encoder.armPrior(config.armPrior())),
            initialMode(config),
            "initial",
            Instant.EPOCH,
            encoder.id(),
            initiallyLearning(config),
            config.apprenticeModelShare());
    Gauge.builder("nextbest.decision.policy.mode", this, s -> modeValue(s.state.deciding()))
        .description(
            "the policy mode in force on this replica: 1 live, 0.5 live mode's learning phase, 0"
                + " apprentice")
        .strongReference(true)
        .register(registry);
    Gauge.builder("nextbest.decision.policy.model.version", this, s -> s.state.model().version())
        .description("the version of the arm models this replica decides with")
        .strongReference(true)
        .register(registry);
  }

  /** The mode as the gauge reports it: 1 live, 0.5 live mode's learning phase, 0 apprentice. */
  static double modeValue(Mode mode) {
    return switch (mode) {
      case LIVE -> 1;
      case LEARNING -> 0.5;
      case APPRENTICE -> 0;
    };
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

  /**
   * Whether a new installation starts in live mode's learning phase: when it starts live, {@code
   * initial-learning-phase} asks for it, and automatic promotion is on to end it.
   */
  static boolean initiallyLearning(DecisionConfig config) {
    return initialMode(config) == Mode.LIVE
        && config.initialLearningPhase()
        && config.promotion().automatic();
  }

  public State state() {
    return state;
  }

  /** A model or mode change, observed (asynchronously) by the edge publication. */
  public record Changed(State state) {}

  /** Whether the state in force was read from PostgreSQL (false before the first reload). */
  public boolean loaded() {
    return loaded;
  }

  private void update(State next) {
    state = next;
    loaded = true;
    changed.fireAsync(new Changed(next));
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
    Uni<Void> ensured =
        stateRowExists
            ? Uni.createFrom().voidItem()
            : policyState
                .ensure(
                    initialMode(config).name().toLowerCase(Locale.ROOT), initiallyLearning(config))
                .invoke(() -> stateRowExists = true);
    return ensured
        .chain(policyState::read)
        .chain(
            row -> {
              long version = row.modelVersion();
              Mode mode = Mode.valueOf(row.mode().toUpperCase(Locale.ROOT));
              String reason = row.reason();
              Instant changedAt = row.changedAt();
              boolean learning = row.learning();
              double share = modelShare(row.modelShare());
              State current = state;
              if (version == current.model().version()) {
                if (mode != current.mode()
                    || learning != current.learning()
                    || !changedAt.equals(current.changedAt())
                    || share != current.modelShare()) {
                  update(
                      new State(
                          current.model(), mode, reason, changedAt, encoder.id(), learning, share));
                }
                loaded = true;
                return Uni.createFrom().voidItem();
              }
              return armModels
                  .byEncoder(encoder.id())
                  .invoke(
                      arms ->
                          update(
                              new State(
                                  model(version, arms),
                                  mode,
                                  reason,
                                  changedAt,
                                  encoder.id(),
                                  learning,
                                  share)))
                  .replaceWithVoid();
            });
  }

  /** The stored canary share within the configured range; the starting share when none is. */
  double modelShare(Double stored) {
    double start = config.apprenticeModelShare();
    if (stored == null || !Double.isFinite(stored)) {
      return start;
    }
    double max = Math.min(1, Math.max(start, config.apprenticeModelShareMax()));
    return Math.max(start, Math.min(max, stored));
  }

  /** Sets the canary share in force (persisted, so every replica follows). */
  public Uni<Void> setModelShare(double share) {
    return policyState.setModelShare(share).chain(this::reload);
  }

  private PolicyModel model(long version, Map<String, LinearArm> arms) {
    return new PolicyModel(version, arms, config.ridge(), encoder.armPrior(config.armPrior()));
  }

  /**
   * Changes the mode (persisted, so every replica follows); {@link Mode#LEARNING} is stored as live
   * in its learning phase.
   */
  public Uni<Void> setMode(Mode mode, String reason, String by) {
    Mode stored = mode == Mode.LEARNING ? Mode.LIVE : mode;
    return policyState
        .setMode(stored.name().toLowerCase(Locale.ROOT), reason, by, mode == Mode.LEARNING)
        .chain(this::reload);
  }
}
