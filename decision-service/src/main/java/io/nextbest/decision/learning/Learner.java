package io.nextbest.decision.learning;

import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.policy.DecisionPolicy;
import io.nextbest.decision.policy.FeatureEncoder;
import io.nextbest.decision.policy.LinearArm;
import io.nextbest.decision.policy.PolicyModel;
import io.nextbest.decision.policy.ThompsonPolicy;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
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
 * and complaints destroyed (the customer's predicted 12-month value) — the same definition for
 * every arm including "none", whether or not another decision followed. It is learned once the
 * horizon has closed in stream time (the latest moment decided, so a simulation's clock works as
 * well as the wall clock) plus a grace for conversions still on their way. Each step, in one
 * transaction guarded by an advisory lock (replicas take turns, a crash loses nothing): the clock
 * moves, closed decisions are scored, added to their arm ({@code x xᵀ}, {@code x·r}) and to the
 * pools of their campaign's attributes, the running sums of promotion are updated with the model as
 * it was before them (an out-of-sample, prequential estimate), and the model version is bumped.
 * Campaigns that open journeys are also learned on the longer journey horizon ({@code long:} arms).
 */
@ApplicationScoped
public class Learner {
  private static final Logger LOG = Logger.getLogger(Learner.class);
  private static final long LOCK = 0x6e6578746265L; // "nextbe"
  private static final double WEEK_SECONDS = 604_800;

  /** What one step learned. */
  public record Step(int decisions, int journeyDecisions, long modelVersion) {
    static final Step SKIPPED = new Step(0, 0, -1);
  }

  private final Pool pool;
  private final DecisionConfig config;
  private final ModelStore models;
  private final ValueCeiling ceiling;
  private final PromotionSums sums;
  private volatile boolean stopping;

  public Learner(
      Pool pool,
      DecisionConfig config,
      ModelStore models,
      ValueCeiling ceiling,
      PromotionSums sums) {
    this.pool = pool;
    this.config = config;
    this.models = models;
    this.ceiling = ceiling;
    this.sums = sums;
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
        .replaceWithVoid();
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
    return pool.withTransaction(
        conn ->
            conn.preparedQuery("select pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(LOCK))
                .chain(
                    lock ->
                        Boolean.TRUE.equals(lock.iterator().next().getBoolean(0))
                            ? step(conn)
                            : Uni.createFrom().item(Step.SKIPPED)));
  }

  /** One horizon: which rows, which reward column, which arms. */
  private record Horizon(String learned, String reward, int days, String prefix) {}

  private Uni<Step> step(SqlConnection conn) {
    var r = config.reward();
    Horizon decision = new Horizon("learned", "reward", r.horizonDays(), "");
    Horizon journey =
        new Horizon("learned_long", "reward_long", r.journeyHorizonDays(), DecisionPolicy.LONG);
    boolean journeys = r.journeyHorizonDays() > r.horizonDays();
    Map<String, LinearArm> arms = new HashMap<>();
    int[] counts = new int[2];
    return clock(conn)
        .chain(clock -> loadArms(conn, arms).replaceWith(clock))
        .chain(
            clock ->
                close(conn, decision, clock, arms, true)
                    .invoke(n -> counts[0] = n)
                    .chain(
                        () ->
                            journeys
                                ? close(conn, journey, clock, arms, false)
                                : markWithoutLearning(conn))
                    .invoke(n -> counts[1] = n))
        .chain(
            () -> {
              if (counts[0] + counts[1] == 0) {
                return Uni.createFrom().item(new Step(0, 0, models.state().model().version()));
              }
              return saveArms(conn, arms)
                  .chain(
                      () ->
                          conn.query(
                                  "update policy_state set model_version = model_version + 1"
                                      + " returning model_version")
                              .execute())
                  .map(v -> new Step(counts[0], counts[1], v.iterator().next().getLong(0)));
            });
  }

  /**
   * Moves the simulation clock to the latest moment a simulation decided (never past now): a
   * simulation replaying the past closes its decisions' horizons at its own pace, while live
   * decisions close on the wall clock, so one never closes the other's early.
   */
  private Uni<OffsetDateTime> clock(SqlConnection conn) {
    return conn.query(
            // least() and greatest() skip nulls: without any simulated decision the clock stays
            // where it was (null at first), never jumps to now
            "update policy_state set clock = greatest(clock, (select case when max(decided_at) is"
                + " null then null else least(now(), max(decided_at)) end from decision_log where"
                + " not learned_long and (features -> 'policy' ? 'simulatedBy'))) returning clock")
        .execute()
        .map(rows -> rows.iterator().next().getOffsetDateTime(0));
  }

  private Uni<Void> loadArms(SqlConnection conn, Map<String, LinearArm> arms) {
    return conn.preparedQuery("select arm_id, stats from arm_models where encoder = $1")
        .execute(Tuple.of(models.encoder().id()))
        .invoke(
            rows -> {
              for (Row row : rows) {
                arms.put(row.getString(0), LinearArm.fromBytes(row.getBuffer(1).getBytes()));
              }
            })
        .replaceWithVoid();
  }

  /**
   * Scores and learns the decisions whose horizon closed; answers how many. The reward of each is
   * computed in one statement: its customer's conversions within the horizon (each order once,
   * capped at the value ceiling, discounted by week) and its own typed outcomes.
   */
  private Uni<Integer> close(
      SqlConnection conn,
      Horizon h,
      OffsetDateTime clock,
      Map<String, LinearArm> arms,
      boolean promotion) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    Uni<Integer> live = closeOn(conn, h, false, now, arms, promotion);
    return clock == null
        ? live
        : live.chain(n -> closeOn(conn, h, true, clock, arms, promotion).map(m -> n + m));
  }

  /** Closes the live or the simulated decisions whose horizon ended before {@code clock}. */
  private Uni<Integer> closeOn(
      SqlConnection conn,
      Horizon h,
      boolean simulated,
      OffsetDateTime clock,
      Map<String, LinearArm> arms,
      boolean promotion) {
    OffsetDateTime closedBefore =
        clock.minus(Duration.ofDays(h.days())).minus(config.reward().grace());
    var rw = config.rewards();
    String sql =
        "with closing as (select decision_id, customer_id, campaign_id, control, candidates,"
            + " features, decided_at, propensity, policy_version from decision_log where not "
            + h.learned()
            + " and (features -> 'policy' ? 'simulatedBy') = $11 and decided_at < $1"
            + " order by decided_at limit $2 for update skip locked)"
            + " select d.decision_id, d.campaign_id, d.control, d.features->>'encoder',"
            + " d.features->'x', d.features->'facts', d.features->'policy', d.candidates,"
            + " d.propensity, d.policy_version, d.decided_at,"
            + " coalesce((select sum(least(coalesce(v.value, $4), $5) * power($6::float8,"
            + " extract(epoch from v.occurred_at - d.decided_at) / $7)) from (select distinct on"
            + " (coalesce(c.order_id, c.outcome_id)) c.value, c.occurred_at from outcomes c where"
            + " c.customer_id = d.customer_id and c.type = 'conversion' and c.occurred_at >="
            + " d.decided_at and c.occurred_at < d.decided_at + make_interval(days => $3)"
            + " order by coalesce(c.order_id, c.outcome_id), c.occurred_at) v), 0),"
            + " (select count(*) from outcomes u where u.decision_id = d.decision_id and"
            + " u.customer_id = d.customer_id and u.type in ('unsubscribe', 'complaint') and"
            + " u.occurred_at < d.decided_at + make_interval(days => $3)),"
            + " (select coalesce(sum(case u.type when 'click' then $8::float8 when 'open' then"
            + " $9::float8 when 'impression' then $10::float8 else 0 end), 0) from outcomes u"
            + " where u.decision_id = d.decision_id and u.customer_id = d.customer_id and"
            + " u.type in ('click', 'open', 'impression') and u.occurred_at < d.decided_at +"
            + " make_interval(days => $3)) from closing d";
    Tuple args =
        Tuple.tuple(
            List.of(
                closedBefore,
                config.learnBatch(),
                h.days(),
                rw.conversionWithoutValue(),
                ceiling.current(),
                config.reward().weeklyDiscount(),
                WEEK_SECONDS,
                rw.click(),
                rw.open(),
                rw.impression(),
                simulated));
    return conn.preparedQuery(sql)
        .execute(args)
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
        Object remaining = replay.policy().getValue("remainingValue");
        double cost =
            remaining instanceof Number n && Double.isFinite(n.doubleValue())
                ? n.doubleValue()
                : config.rewards().unsubscribeCost();
        reward -= unsubscribes * Math.min(cost, ceiling.current());
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
        .chain(
            () ->
                conn.preparedQuery(
                        "update decision_log d set "
                            + h.learned()
                            + " = true, "
                            + h.reward()
                            + " = u.r from unnest($1::text[], $2::float8[]) as u(id, r)"
                            + " where d.decision_id = u.id")
                    .execute(Tuple.of(ids.toArray(String[]::new), rewards.toArray(Double[]::new))))
        .replaceWith(ids.size());
  }

  /** Without journeys the long horizon is not learned: its rows are only marked. */
  private Uni<Integer> markWithoutLearning(SqlConnection conn) {
    return conn.preparedQuery(
            "update decision_log set learned_long = true where decision_id in (select decision_id"
                + " from decision_log where not learned_long and learned order by decided_at"
                + " limit $1)")
        .execute(Tuple.of(config.learnBatch()))
        .replaceWith(0);
  }

  private Uni<Void> saveArms(SqlConnection conn, Map<String, LinearArm> arms) {
    List<Tuple> batch = new ArrayList<>();
    String encoder = models.encoder().id();
    arms.forEach(
        (id, arm) ->
            batch.add(Tuple.of(id, encoder, io.vertx.core.buffer.Buffer.buffer(arm.toBytes()))));
    if (batch.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return conn.preparedQuery(
            "insert into arm_models (arm_id, encoder, stats, updated_at) values ($1, $2, $3, now())"
                + " on conflict (arm_id) do update set encoder = excluded.encoder,"
                + " stats = excluded.stats, updated_at = now()")
        .executeBatch(batch)
        .replaceWithVoid();
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
