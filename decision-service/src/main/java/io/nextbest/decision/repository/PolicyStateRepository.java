package io.nextbest.decision.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The single policy row ({@code policy_state}): the model version every replica follows, the mode
 * and why, and the simulations' stream clocks.
 */
@ApplicationScoped
public class PolicyStateRepository {
  /**
   * The policy row.
   *
   * @param modelVersion bumped by each learning step that learned something
   * @param mode {@code apprentice} or {@code live}
   * @param reason why the mode is what it is
   * @param changedAt when the mode last changed
   * @param learning live mode's learning phase: the model has not yet shown it does at least as
   *     well as manual priority
   * @param modelShare the canary share in force, null for the configured starting share
   */
  public record PolicyState(
      long modelVersion,
      String mode,
      String reason,
      Instant changedAt,
      boolean learning,
      Double modelShare) {}

  private final Pool pool;

  public PolicyStateRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Takes the learning lock for the caller's transaction unless another replica holds it; answers
   * whether it was taken.
   */
  public Uni<Boolean> tryLockLearning(SqlConnection conn, long lock) {
    return conn.preparedQuery("select pg_try_advisory_xact_lock($1)")
        .execute(Tuple.of(lock))
        .map(rows -> Boolean.TRUE.equals(rows.iterator().next().getBoolean(0)));
  }

  /**
   * Creates the row in {@code mode} unless it exists (its first entry in the mode history), in live
   * mode's learning phase when {@code learning}.
   */
  public Uni<Void> ensure(String mode, boolean learning) {
    return pool.preparedQuery(
            "with ins as (insert into policy_state (id, model_version, mode, mode_reason,"
                + " learning) values (1, 0, $1, 'initial mode', $2) on conflict (id) do"
                + " nothing returning mode, mode_reason, changed_at, learning) insert into"
                + " policy_mode_history (mode, reason, changed_by, changed_at, learning) select"
                + " mode, mode_reason, 'initial', changed_at, learning from ins")
        .execute(Tuple.of(mode, learning))
        .replaceWithVoid();
  }

  /** The row. */
  public Uni<PolicyState> read() {
    return pool.query(
            "select model_version, mode, mode_reason, changed_at, learning, model_share from"
                + " policy_state")
        .execute()
        .map(
            rows -> {
              Row r = rows.iterator().next();
              return new PolicyState(
                  r.getLong(0),
                  r.getString(1),
                  r.getString(2),
                  r.getOffsetDateTime(3).toInstant(),
                  r.getBoolean(4),
                  r.getDouble(5));
            });
  }

  /**
   * Changes the mode, and records the change in the mode history with the mode it left and who made
   * it ({@code guard}, {@code promotion} or {@code operator}); {@code learning}: live mode's
   * learning phase.
   */
  public Uni<Void> setMode(String mode, String reason, String by, boolean learning) {
    return pool.preparedQuery(
            "with old as (select mode from policy_state), upd as (update policy_state set mode ="
                + " $1, mode_reason = $2, learning = $4, model_share = null, changed_at = now()"
                + " returning changed_at)"
                + " insert into policy_mode_history (mode, previous, reason, changed_by,"
                + " changed_at, learning) select $1, (select mode from old), $2, $3, changed_at, $4"
                + " from upd")
        .execute(Tuple.of(mode, reason, by, learning))
        .replaceWithVoid();
  }

  /** Sets the canary share in force; a change of mode starts it again from the configured one. */
  public Uni<Void> setModelShare(double share) {
    return pool.preparedQuery("update policy_state set model_share = $1")
        .execute(Tuple.of(share))
        .replaceWithVoid();
  }

  /**
   * A change of mode.
   *
   * @param mode the mode entered
   * @param previous the mode left, null for the first
   * @param reason why (the guard's verdict, an operator's words)
   * @param by who: {@code guard}, {@code promotion}, {@code operator} or {@code initial}
   * @param changedAt when
   * @param learning the mode entered is live mode's learning phase
   */
  public record ModeChange(
      String mode,
      String previous,
      String reason,
      String by,
      Instant changedAt,
      boolean learning) {}

  /** The latest {@code limit} mode changes, newest first. */
  public Uni<java.util.List<ModeChange>> history(int limit) {
    return pool.preparedQuery(
            "select mode, previous, reason, changed_by, changed_at, learning from"
                + " policy_mode_history order by id desc limit $1")
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              java.util.List<ModeChange> out = new java.util.ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new ModeChange(
                        r.getString(0),
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getOffsetDateTime(4).toInstant(),
                        r.getBoolean(5)));
              }
              return out;
            });
  }

  /** A simulation's stream clock: the subject that simulated, and the latest moment closed on. */
  public record StreamClock(String simulatedBy, OffsetDateTime clock) {}

  /**
   * Moves the stream clock of every simulation with open decisions to the latest moment it decided
   * (never past now) among its decisions logged by {@code loggedBy}, in the caller's transaction; a
   * clock never moves back. Answers the clocks of those simulations.
   */
  public Uni<List<StreamClock>> advanceClocks(SqlConnection conn, OffsetDateTime loggedBy) {
    // the step's statements each touch a few index entries a second; without statistics on the
    // simulatedBy expression the planner expects hundreds of thousands of rows and starts parallel
    // workers (processes) for them every second, which under load cost PostgreSQL half a core
    return conn.query("set local max_parallel_workers_per_gather = 0")
        .execute()
        .chain(() -> clocks(conn, loggedBy));
  }

  private Uni<List<StreamClock>> clocks(SqlConnection conn, OffsetDateTime loggedBy) {
    return conn.preparedQuery(
            "insert into stream_clocks (simulated_by, clock) select features -> 'policy' ->>"
                + " 'simulatedBy', least(now(), max(decided_at)) from decision_log where not"
                + " learned_long and (features -> 'policy' ->> 'simulatedBy') is not null and"
                + " logged_at <= $1 group by 1 on conflict (simulated_by) do update set clock ="
                + " greatest(stream_clocks.clock, excluded.clock) returning simulated_by, clock")
        .execute(Tuple.of(loggedBy))
        .map(
            rows -> {
              List<StreamClock> clocks = new ArrayList<>(rows.size());
              rows.forEach(
                  r -> clocks.add(new StreamClock(r.getString(0), r.getOffsetDateTime(1))));
              return clocks;
            });
  }

  /** Bumps the model version in the caller's transaction; answers the new version. */
  public Uni<Long> nextModelVersion(SqlConnection conn) {
    return conn.query(
            "update policy_state set model_version = model_version + 1 returning model_version")
        .execute()
        .map(v -> v.iterator().next().getLong(0));
  }
}
