package io.nextbest.decision.learning;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.common.sql.ClusterLock;
import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.repository.ArmModelRepository;
import io.nextbest.decision.repository.DecisionLogRepository;
import io.nextbest.decision.repository.PolicyStateRepository;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.FeatureEncoder;
import io.nextbest.models.policy.LinearArm;
import io.nextbest.models.policy.PolicyModel;
import io.nextbest.models.policy.ThompsonPolicy;
import io.nextbest.models.policy.UnsubscribeCost;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Online learning on fixed horizons. A decision's reward is what its own horizon earned — every
 * conversion of its customer within {@code reward.horizon-days} after it (each order once, however
 * it was reported; discounted by week), plus its own outcomes' rewards, minus what its unsubscribes
 * and complaints destroyed (the part of the customer's predicted 12-month value that the channel's
 * contacts add, {@link UnsubscribeCost}) — the same definition for every arm including "none",
 * whether or not another decision followed. It is learned once the horizon has closed in stream
 * time (the wall clock for live decisions; for a simulation's, its own clock, the latest moment
 * that simulation decided, so simulations never close each other's horizons) plus a grace for
 * conversions still on their way, and only once the consumers that bring conversions in have caught
 * up with it ({@link ConsumerWatermark}): a simulated decision moves the stream clock only when the
 * purchases and outcomes produced before it was logged have been stored, and a live one closes
 * against the watermark's moment rather than now. A lagging consumer delays learning and never
 * costs a reward its conversions. Each step, in one transaction guarded by an advisory lock
 * (replicas take turns, a crash loses nothing): the clocks move, closed decisions are scored, added
 * to their arm ({@code x xᵀ}, {@code x·r}) and to the pools of their campaign's attributes, the
 * running sums of promotion are updated with the model as it was before them (an out-of-sample,
 * prequential estimate), and the model version is bumped. Campaigns that open journeys are also
 * learned on the longer journey horizon ({@code long:} arms).
 *
 * <p>For operators: {@code nextbest_decision_learned_total} counts the decisions learned per
 * horizon, and {@code nextbest_decision_learning_lag_seconds} is how long the oldest live decision
 * whose horizon (plus grace) has closed has been waiting to be learned, measured after every tick
 * on every replica (0 when learning keeps up).
 */
@ApplicationScoped
public class Learner {
  private static final Logger LOG = Logger.getLogger(Learner.class);
  private static final long LOCK = ClusterLock.Key.LEARNING.id();

  /** What one step learned. */
  public record Step(int decisions, int journeyDecisions, long modelVersion) {
    static final Step SKIPPED = new Step(0, 0, -1);
  }

  private final Pool pool;
  private final DecisionLogRepository decisionLog;
  private final ArmModelRepository armModels;
  private final PolicyStateRepository policyState;
  private final DecisionConfig config;
  private final ModelStore models;
  private final ValueCeiling ceiling;
  private final UnsubscribeCost unsubscribe;
  private final PromotionSums sums;
  private final ConsumerWatermark watermark;
  private final Counter learned;
  private final Counter learnedJourneys;
  private volatile double lagSeconds;
  private volatile boolean stopping;

  public Learner(
      Pool pool,
      DecisionLogRepository decisionLog,
      ArmModelRepository armModels,
      PolicyStateRepository policyState,
      DecisionConfig config,
      ModelStore models,
      ValueCeiling ceiling,
      PromotionSums sums,
      ConsumerWatermark watermark,
      MeterRegistry registry) {
    this.pool = pool;
    this.decisionLog = decisionLog;
    this.armModels = armModels;
    this.policyState = policyState;
    this.config = config;
    this.models = models;
    this.ceiling = ceiling;
    var rw = config.rewards();
    this.unsubscribe =
        new UnsubscribeCost(
            rw.unsubscribeShare(),
            rw.unsubscribeShareMinimum(),
            rw.unsubscribeCost(),
            rw.unsubscribeShareFloor());
    this.sums = sums;
    this.watermark = watermark;
    this.learned = learnedCounter(registry, "decision");
    this.learnedJourneys = learnedCounter(registry, "journey");
    Gauge.builder("nextbest.decision.learning.lag", this, l -> l.lagSeconds)
        .description(
            "how long the oldest live decision whose horizon closed has waited to be learned")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
  }

  private static Counter learnedCounter(MeterRegistry registry, String horizon) {
    return Counter.builder("nextbest.decision.learned")
        .description("decisions learned, by horizon")
        .tag("horizon", horizon)
        .register(registry);
  }

  void onStop(@Observes io.quarkus.runtime.ShutdownEvent e) {
    stopping = true;
  }

  @Scheduled(
      every = "${nextbest.decision.learn-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    if (stopping) {
      return Uni.createFrom().voidItem();
    }
    return learnUntilIdle()
        .onFailure()
        .invoke(f -> LOG.warnf("learning paused, retrying on the next tick: %s", f.toString()))
        .onFailure()
        .recoverWithNull()
        .chain(this::measureLag);
  }

  /** Updates the learning lag from the oldest live decision not learned yet. */
  Uni<Void> measureLag() {
    return decisionLog
        .oldestUnlearned()
        .invoke(
            oldest ->
                lagSeconds =
                    lagSeconds(
                        Instant.now(),
                        oldest,
                        Duration.ofDays(config.reward().horizonDays())
                            .plus(config.reward().grace())))
        .onFailure()
        .invoke(f -> LOG.debugf("learning lag not measured: %s", f.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /**
   * Seconds since the oldest unlearned decision became learnable (its {@code wait}, the horizon
   * plus the grace, ended); 0 when there is none or it is still open.
   */
  static double lagSeconds(Instant now, Instant oldestUnlearned, Duration wait) {
    if (oldestUnlearned == null) {
      return 0;
    }
    Duration late = Duration.between(oldestUnlearned.plus(wait), now);
    return late.isNegative() ? 0 : late.toMillis() / 1000.0;
  }

  /** Learns in steps until nothing closed is left, then reloads the model. */
  public Uni<Step> learnUntilIdle() {
    return learnOnce()
        .chain(
            s ->
                s.decisions() >= config.learnBatch() || s.journeyDecisions() >= config.learnBatch()
                    ? models.reload().chain(this::learnUntilIdle)
                    : models.reload().replaceWith(s));
  }

  public Uni<Step> learnOnce() {
    return watermark
        .advance()
        .chain(
            passed ->
                passed == null
                    ? Uni.createFrom().item(new Step(0, 0, models.state().model().version()))
                    : pool.withTransaction(
                        conn ->
                            policyState
                                .tryLockLearning(conn, LOCK)
                                .chain(
                                    locked ->
                                        locked
                                            ? step(conn, rewardsIn(passed))
                                            : Uni.createFrom().item(Step.SKIPPED))))
        .invoke(
            s -> {
              learned.increment(s.decisions());
              learnedJourneys.increment(s.journeyDecisions());
            });
  }

  /** One horizon: the decision's or the journey's, its days, which arms. */
  private record Horizon(boolean journey, int days, String prefix) {}

  /**
   * The wall-clock moment by which every conversion has arrived: the reward consumers' watermark
   * less the time a conversion may take to reach its topic.
   */
  private OffsetDateTime rewardsIn(Instant passed) {
    return passed.minus(config.reward().arrivalMargin()).atOffset(ZoneOffset.UTC);
  }

  private Uni<Step> step(SqlConnection conn, OffsetDateTime rewardsIn) {
    var r = config.reward();
    Horizon decision = new Horizon(false, r.horizonDays(), "");
    Horizon journey = new Horizon(true, r.journeyHorizonDays(), DecisionPolicy.LONG);
    boolean journeys = r.journeyHorizonDays() > r.horizonDays();
    Map<String, LinearArm> arms = new HashMap<>();
    Map<String, Long> observedBefore = new HashMap<>();
    int[] counts = new int[2];
    return policyState
        .advanceClocks(conn, rewardsIn)
        .chain(
            clocks ->
                armModels
                    .byEncoder(conn, models.encoder().id())
                    .invoke(
                        loaded ->
                            loaded.forEach(
                                (id, arm) -> {
                                  arms.put(id, arm);
                                  observedBefore.put(id, arm.count());
                                }))
                    .replaceWith(clocks))
        .chain(
            clocks ->
                close(conn, decision, rewardsIn, clocks, arms, true)
                    .invoke(n -> counts[0] = n)
                    .chain(
                        () ->
                            journeys
                                ? close(conn, journey, rewardsIn, clocks, arms, false)
                                : markWithoutLearning(conn))
                    .invoke(n -> counts[1] = n))
        .chain(
            () -> {
              if (counts[0] + counts[1] == 0) {
                return Uni.createFrom().item(new Step(0, 0, models.state().model().version()));
              }
              // only the arms this step learned: their updated_at says which actions are in use
              Map<String, LinearArm> learnedArms = new HashMap<>();
              arms.forEach(
                  (id, arm) -> {
                    if (!Long.valueOf(arm.count()).equals(observedBefore.get(id))) {
                      learnedArms.put(id, arm);
                    }
                  });
              return armModels
                  .saveAll(conn, models.encoder().id(), learnedArms)
                  .chain(() -> policyState.nextModelVersion(conn))
                  .map(v -> new Step(counts[0], counts[1], v));
            });
  }

  /**
   * Scores and learns the decisions whose horizon closed; answers how many. The reward of each is
   * computed in one statement: its customer's conversions within the horizon (each order once,
   * capped at the value ceiling, discounted by week) and its own typed outcomes.
   */
  private Uni<Integer> close(
      SqlConnection conn,
      Horizon h,
      OffsetDateTime rewardsIn,
      List<PolicyStateRepository.StreamClock> clocks,
      Map<String, LinearArm> arms,
      boolean promotion) {
    Uni<Integer> closed = closeOn(conn, h, null, rewardsIn, arms, promotion);
    for (var c : clocks) {
      closed =
          closed.chain(
              n ->
                  n >= config.learnBatch()
                      ? Uni.createFrom().item(n) // the next step goes on
                      : closeOn(conn, h, c.simulatedBy(), c.clock(), arms, promotion)
                          .map(m -> n + m));
    }
    return closed;
  }

  /**
   * Closes the live decisions ({@code simulatedBy} null) or one simulation's whose horizon ended
   * before {@code clock}.
   */
  private Uni<Integer> closeOn(
      SqlConnection conn,
      Horizon h,
      String simulatedBy,
      OffsetDateTime clock,
      Map<String, LinearArm> arms,
      boolean promotion) {
    OffsetDateTime closedBefore =
        clock.minus(Duration.ofDays(h.days())).minus(config.reward().grace());
    var rw = config.rewards();
    var terms =
        new DecisionLogRepository.RewardTerms(
            rw.conversionWithoutValue(),
            ceiling.current(),
            config.reward().weeklyDiscount(),
            rw.click(),
            rw.open(),
            rw.impression());
    return decisionLog
        .scoreClosed(
            conn, h.journey(), simulatedBy, closedBefore, config.learnBatch(), h.days(), terms)
        .chain(rows -> learn(conn, h, rows, arms, promotion));
  }

  /** Adds the scored decisions to their arms and pools and marks them learned. */
  private Uni<Integer> learn(
      SqlConnection conn,
      Horizon h,
      RowSet<Row> rows,
      Map<String, LinearArm> arms,
      boolean promotion) {
    FeatureEncoder encoder = models.encoder();
    PolicyModel before = models.state().model();
    List<String> ids = new ArrayList<>(rows.size());
    List<Double> rewards = new ArrayList<>(rows.size());
    List<PromotionSums.Scored> scored = new ArrayList<>();
    for (Row row : rows) {
      String decisionId = row.getString(0);
      boolean control = row.getBoolean(2);
      Replay replay =
          Replay.of(
              encoder,
              row.getString(3),
              row.getValue(4),
              row.getValue(5),
              row.getValue(6),
              row.getString(7),
              row.getString(1),
              control);
      double reward = finiteOr(row.getDouble(11), 0);
      ids.add(decisionId);
      if (replay == null) {
        rewards.add(reward);
        continue; // another feature schema: scored, not learned
      }
      reward += finiteOr(row.getDouble(13), 0);
      long unsubscribes = row.getLong(12) == null ? 0 : row.getLong(12);
      if (unsubscribes > 0) {
        Double remaining = replay.policy() == null ? null : replay.policy().remainingValue();
        String channel = UnsubscribeCost.channel(replay.actionTokens());
        double share = unsubscribe.share(arms, h.prefix(), channel, FeatureEncoder.INTERCEPT);
        reward -= unsubscribes * unsubscribe.cost(remaining, share, ceiling.current());
      }
      if (!Double.isFinite(reward)) {
        reward = 0;
      }
      rewards.add(reward);
      String armId = replay.action();
      double[] x = replay.actionVector();
      arm(arms, h.prefix() + armId, x.length).update(x, reward);
      arm(arms, h.prefix() + PolicyModel.BASE, x.length).update(x, reward);
      if (!ThompsonPolicy.NONE.equals(armId)) {
        for (String token : replay.actionTokens()) {
          arm(arms, PolicyModel.POOL + h.prefix() + token, x.length).update(x, reward);
        }
      }
      if (promotion && !control) {
        scored.add(
            new PromotionSums.Scored(
                replay,
                row.getDouble(8),
                row.getString(9),
                row.getOffsetDateTime(10).toInstant(),
                reward));
      }
    }
    if (ids.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    Uni<Void> sumsWritten =
        scored.isEmpty() ? Uni.createFrom().voidItem() : sums.add(conn, scored, before);
    return sumsWritten
        .chain(() -> decisionLog.markLearned(conn, h.journey(), ids, rewards))
        .replaceWith(ids.size());
  }

  /** Without journeys the long horizon is not learned: its rows are only marked. */
  private Uni<Integer> markWithoutLearning(SqlConnection conn) {
    return decisionLog.markJourneyWithoutLearning(conn, config.learnBatch()).replaceWith(0);
  }

  private static LinearArm arm(Map<String, LinearArm> arms, String id, int dimension) {
    LinearArm a = arms.get(id);
    if (a == null || a.dimension() != dimension) {
      a = new LinearArm(dimension);
      arms.put(id, a);
    }
    return a;
  }

  private static double finiteOr(Double v, double fallback) {
    return v == null || !Double.isFinite(v) ? fallback : v;
  }
}
