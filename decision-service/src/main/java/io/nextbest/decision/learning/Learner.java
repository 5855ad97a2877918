package io.nextbest.decision.learning;

import io.nextbest.decision.DecisionConfig;
import io.nextbest.decision.policy.FeatureEncoder;
import io.nextbest.decision.policy.LinearArm;
import io.nextbest.decision.policy.ThompsonPolicy;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Online learning. Each step, in one transaction guarded by an advisory lock (so replicas take
 * turns and a crash loses nothing): purchases are attributed to the customer's latest decision
 * whose window holds them; new decisions add their context to their arm (the chosen campaign, or
 * "none" for none, campaign controls and the global control); outcomes of learned decisions add
 * their reward; the arm statistics are written back and the model version is bumped. An outcome is
 * learned once (its id is the primary key and its state moves from pending); one that arrives after
 * its decision's window closed is kept as late and not learned; one whose decision never arrives is
 * orphaned after a day.
 */
@ApplicationScoped
public class Learner {
  private static final Logger LOG = Logger.getLogger(Learner.class);
  private static final long LOCK = 0x6e6578746265L; // "nextbe"
  private static final int BATCH = 5_000;

  /** What one step learned. */
  public record Step(int decisions, int outcomes, int late, long modelVersion) {
    static final Step SKIPPED = new Step(0, 0, 0, -1);
  }

  private final Pool pool;
  private final DecisionConfig config;
  private final ModelStore models;

  public Learner(Pool pool, DecisionConfig config, ModelStore models) {
    this.pool = pool;
    this.config = config;
    this.models = models;
  }

  private volatile boolean stopping;

  void onStop(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent e) {
    stopping = true;
  }

  @Scheduled(
      every = "${nextbest.decision.learn-interval:2s}",
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

  /** Learns in steps until nothing is left, then reloads the model. */
  public Uni<Step> learnUntilIdle() {
    return learnOnce()
        .chain(
            s ->
                s.decisions() + s.outcomes() + s.late() >= BATCH
                    ? learnUntilIdle()
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

  private Uni<Step> step(SqlConnection conn) {
    Map<String, LinearArm> arms = new HashMap<>();
    return conn.query(
            // purchases become conversions of the latest decision whose window holds them
            "update outcomes o set decision_id = (select d.decision_id from decision_log d"
                + " where d.customer_id = o.customer_id and d.decided_at <= o.occurred_at"
                + " and o.occurred_at <= d.decided_at + make_interval(days => d.window_days)"
                + " order by d.decided_at desc limit 1)"
                + " where o.state = 'pending' and o.decision_id is null")
        .execute()
        .chain(() -> conn.preparedQuery("select arm_id, encoder, stats from arm_models").execute())
        .invoke(
            rows -> {
              for (Row r : rows) {
                if (FeatureEncoder.VERSION.equals(r.getString(1))) {
                  arms.put(r.getString(0), LinearArm.fromBytes(r.getBuffer(2).getBytes()));
                }
              }
            })
        .chain(
            () ->
                conn.preparedQuery(
                        "select decision_id, campaign_id, control, features->'x',"
                            + " features->>'encoder' from decision_log where not learned"
                            + " order by logged_at limit $1 for update skip locked")
                    .execute(Tuple.of(BATCH)))
        .chain(
            rows -> {
              List<String> ids = new ArrayList<>();
              for (Row r : rows) {
                ids.add(r.getString(0));
                double[] x = context(r.getValue(3), r.getString(4));
                if (x != null) {
                  arm(arms, armOf(r.getString(1), r.getBoolean(2))).observe(x);
                }
              }
              if (ids.isEmpty()) {
                return Uni.createFrom().item(0);
              }
              return conn.preparedQuery(
                      "update decision_log set learned = true where decision_id = any($1)")
                  .execute(Tuple.of(ids.toArray(String[]::new)))
                  .replaceWith(ids.size());
            })
        .chain(decisions -> outcomes(conn, arms, decisions));
  }

  private Uni<Step> outcomes(SqlConnection conn, Map<String, LinearArm> arms, int decisions) {
    return conn.preparedQuery(
            "select o.outcome_id, o.type, o.value, o.occurred_at, d.decision_id, d.campaign_id,"
                + " d.control, d.features->'x', d.features->>'encoder', d.reward, d.decided_at,"
                + " d.window_days from outcomes o join decision_log d on d.decision_id ="
                + " o.decision_id where o.state = 'pending' and d.learned"
                + " order by o.received_at limit $1 for update of o skip locked")
        .execute(Tuple.of(BATCH))
        .chain(
            rows -> {
              Map<String, Double> decisionReward = new HashMap<>();
              List<String> learnedIds = new ArrayList<>();
              List<Double> learnedRewards = new ArrayList<>();
              List<String> lateIds = new ArrayList<>();
              for (Row r : rows) {
                OffsetDateTime at = r.getOffsetDateTime(3);
                OffsetDateTime decided = r.getOffsetDateTime(10);
                if (at.isAfter(decided.plusDays(r.getInteger(11)))
                    || at.isBefore(decided.minusMinutes(1))) {
                  lateIds.add(r.getString(0));
                  continue;
                }
                double reward = reward(r.getString(1), r.getDouble(2));
                String decisionId = r.getString(4);
                double previous = decisionReward.getOrDefault(decisionId, r.getDouble(9));
                double[] x = context(r.getValue(7), r.getString(8));
                if (x != null) {
                  arm(arms, armOf(r.getString(5), r.getBoolean(6))).reward(x, reward, previous);
                }
                decisionReward.put(decisionId, previous + reward);
                learnedIds.add(r.getString(0));
                learnedRewards.add(reward);
              }
              int outcomeCount = learnedIds.size();
              int lateCount = lateIds.size();
              Uni<?> writes =
                  conn.preparedQuery(
                          "update outcomes o set state = 'learned', reward = u.r from"
                              + " unnest($1::text[], $2::float8[]) as u(id, r) where o.outcome_id"
                              + " = u.id")
                      .execute(
                          Tuple.of(
                              learnedIds.toArray(String[]::new),
                              learnedRewards.toArray(Double[]::new)))
                      .chain(
                          () ->
                              conn.preparedQuery(
                                      "update outcomes set state = 'late' where outcome_id ="
                                          + " any($1)")
                                  .execute(Tuple.of(lateIds.toArray(String[]::new))))
                      .chain(
                          () ->
                              conn.preparedQuery(
                                      "update decision_log d set reward = u.r from"
                                          + " unnest($1::text[], $2::float8[]) as u(id, r)"
                                          + " where d.decision_id = u.id")
                                  .execute(
                                      Tuple.of(
                                          decisionReward.keySet().toArray(String[]::new),
                                          decisionReward.values().toArray(Double[]::new))))
                      .chain(
                          () ->
                              conn.query(
                                      "update outcomes set state = 'orphaned' where state ="
                                          + " 'pending' and received_at < now() - interval '1 day'")
                                  .execute());
              if (decisions == 0 && outcomeCount == 0) {
                return writes.replaceWith(
                    new Step(0, 0, lateCount, models.state().model().version()));
              }
              return writes
                  .chain(() -> saveArms(conn, arms))
                  .chain(
                      () ->
                          conn.query(
                                  "update policy_state set model_version = model_version + 1"
                                      + " returning model_version")
                              .execute())
                  .map(
                      v ->
                          new Step(
                              decisions,
                              outcomeCount,
                              lateCount,
                              v.iterator().hasNext() ? v.iterator().next().getLong(0) : -1));
            });
  }

  private Uni<Void> saveArms(SqlConnection conn, Map<String, LinearArm> arms) {
    List<Tuple> batch = new ArrayList<>();
    arms.forEach(
        (id, arm) ->
            batch.add(
                Tuple.of(
                    id,
                    FeatureEncoder.VERSION,
                    io.vertx.core.buffer.Buffer.buffer(arm.toBytes()))));
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

  /** Reward of one outcome. */
  double reward(String type, Double value) {
    var r = config.rewards();
    return switch (type) {
      case "conversion" -> value == null ? r.conversionWithoutValue() : value;
      case "click" -> r.click();
      case "open" -> r.open();
      case "impression" -> r.impression();
      case "unsubscribe" -> -r.unsubscribeCost();
      default -> 0;
    };
  }

  /** The arm a logged decision trained: its campaign, or none when nothing was sent. */
  static String armOf(String campaignId, boolean control) {
    return campaignId == null || control ? ThompsonPolicy.NONE : campaignId;
  }

  private static LinearArm arm(Map<String, LinearArm> arms, String id) {
    return arms.computeIfAbsent(id, k -> new LinearArm(FeatureEncoder.DIMENSION));
  }

  /** The logged context vector, or null when it was encoded by another feature version. */
  public static double[] context(Object raw, String encoder) {
    if (!FeatureEncoder.VERSION.equals(encoder)
        || !(raw instanceof JsonArray array)
        || array.size() != FeatureEncoder.DIMENSION) {
      return null;
    }
    double[] x = new double[array.size()];
    for (int i = 0; i < x.length; i++) {
      Object v = array.getValue(i);
      x[i] = v instanceof Number n ? n.doubleValue() : 0;
    }
    return x;
  }
}
