package io.nextbest.decision.outcome;

import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.decision.repository.BatchInsert;
import io.nextbest.events.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
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
      Set.of("impression", "open", "click", "conversion", "unsubscribe", "dismiss");

  private final Pool pool;

  public OutcomeStore(Pool pool) {
    this.pool = pool;
  }

  /** Stores outcomes not stored yet; answers how many were new. */
  public Uni<Integer> storeAll(List<Outcome> outcomes) {
    return BatchInsert.run(
        pool,
        "insert into outcomes (outcome_id, type, customer_id, decision_id, value, occurred_at)"
            + " select $1, $2, $3, $4, $5::double precision, $6::timestamptz where "
            + ErasedCustomers.notErasedAt("$3", "$6::timestamptz")
            + " on conflict (outcome_id) do nothing",
        outcomes,
        o ->
            Tuple.tuple()
                .addValue(o.id())
                .addValue(o.type())
                .addValue(o.customerId())
                .addValue(o.decisionId())
                .addValue(o.value())
                .addValue(o.occurredAt().atOffset(ZoneOffset.UTC)));
  }

  /**
   * Erases a person's decisions and outcomes and remembers the erase (by the id's hash), so
   * decisions and outcomes still in flight are not stored afterwards; answers the rows removed.
   */
  public Uni<Integer> erase(String customerId) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(ErasedCustomers.REMEMBER)
                .execute(Tuple.of(customerId))
                .chain(
                    () ->
                        conn.preparedQuery("delete from outcomes where customer_id = $1")
                            .execute(Tuple.of(customerId)))
                .chain(
                    o ->
                        conn.preparedQuery("delete from decision_log where customer_id = $1")
                            .execute(Tuple.of(customerId))
                            .map(d -> o.rowCount() + d.rowCount())));
  }
}
