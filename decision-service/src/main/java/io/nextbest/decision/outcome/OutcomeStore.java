package io.nextbest.decision.outcome;

import io.nextbest.events.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Outcome history. An outcome is stored once per id (a duplicate is a no-op), pending until the
 * learner joins it to its decision.
 */
@ApplicationScoped
public class OutcomeStore {
  /** Outcome types decisions learn from. */
  public static final Set<String> TYPES =
      Set.of("impression", "open", "click", "conversion", "unsubscribe");

  private final Pool pool;

  public OutcomeStore(Pool pool) {
    this.pool = pool;
  }

  /** Stores outcomes not stored yet; answers how many were new. */
  public Uni<Integer> storeAll(List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    List<Tuple> rows = new ArrayList<>(outcomes.size());
    for (Outcome o : outcomes) {
      rows.add(
          Tuple.tuple()
              .addValue(o.id())
              .addValue(o.type())
              .addValue(o.customerId())
              .addValue(o.decisionId())
              .addValue(o.value())
              .addValue(o.occurredAt().atOffset(ZoneOffset.UTC)));
    }
    return pool.preparedQuery(
            "insert into outcomes (outcome_id, type, customer_id, decision_id, value, occurred_at)"
                + " values ($1, $2, $3, $4, $5, $6) on conflict (outcome_id) do nothing")
        .executeBatch(rows)
        .map(
            r -> {
              int inserted = 0;
              for (var rs = r; rs != null; rs = rs.next()) {
                inserted += rs.rowCount();
              }
              return inserted;
            });
  }

  /** Erases a person's decisions and outcomes; answers the rows removed. */
  public Uni<Integer> erase(String customerId) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery("delete from outcomes where customer_id = $1")
                .execute(Tuple.of(customerId))
                .chain(
                    o ->
                        conn.preparedQuery("delete from decision_log where customer_id = $1")
                            .execute(Tuple.of(customerId))
                            .map(d -> o.rowCount() + d.rowCount())));
  }
}
