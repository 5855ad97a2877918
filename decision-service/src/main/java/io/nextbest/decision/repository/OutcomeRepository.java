package io.nextbest.decision.repository;

import static io.nextbest.common.sql.Columns.doubles;
import static io.nextbest.common.sql.Columns.texts;
import static io.nextbest.common.sql.Columns.times;

import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.events.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * Outcome history. An outcome is stored once per id (a duplicate is a no-op), pending until the
 * learner joins it to its decision.
 */
@ApplicationScoped
public class OutcomeRepository {
  /** Outcome types decisions learn from. */
  public static final Set<String> TYPES =
      Set.of("impression", "open", "click", "conversion", "unsubscribe", "complaint", "dismiss");

  private static final String STORE_ALL =
      "insert into outcomes (outcome_id, type, customer_id, decision_id, value, occurred_at,"
          + " order_id) select u.id, u.type, u.customer, u.decision, u.value, u.at, u.ord from"
          + " unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[],"
          + " $6::timestamptz[], $7::text[]) as u(id, type, customer, decision, value, at, ord)"
          + " where "
          + ErasedCustomers.notErasedAt("u.customer", "u.at")
          + " on conflict (outcome_id) do nothing";

  private final Pool pool;
  private final DecisionLogRepository decisionLog;
  private final ErasedCustomerRepository erased;

  public OutcomeRepository(
      Pool pool, DecisionLogRepository decisionLog, ErasedCustomerRepository erased) {
    this.pool = pool;
    this.decisionLog = decisionLog;
    this.erased = erased;
  }

  /** Stores outcomes not stored yet, the batch in one statement; answers how many were new. */
  public Uni<Integer> storeAll(List<Outcome> o) {
    if (o.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    return pool.preparedQuery(STORE_ALL)
        .execute(
            Tuple.tuple(
                List.of(
                    texts(o, Outcome::id),
                    texts(o, Outcome::type),
                    texts(o, Outcome::customerId),
                    texts(o, Outcome::decisionId),
                    doubles(o, Outcome::value),
                    times(o, Outcome::occurredAt),
                    texts(o, Outcome::orderId))))
        .map(rows -> rows.rowCount());
  }

  /**
   * Erases a person's decisions and outcomes and remembers the erase (by the id's hash), so
   * decisions and outcomes still in flight are not stored afterwards; answers the rows removed.
   */
  public Uni<Integer> erase(String customerId) {
    return pool.withTransaction(
        conn ->
            erased
                .remember(conn, customerId)
                .chain(
                    () ->
                        conn.preparedQuery("delete from outcomes where customer_id = $1")
                            .execute(Tuple.of(customerId)))
                .chain(
                    o ->
                        decisionLog
                            .deleteForCustomer(conn, customerId)
                            .map(d -> o.rowCount() + d)));
  }

  /**
   * The 99th percentile of the latest 10,000 conversion values; null when no conversion carried a
   * value.
   */
  public Uni<Double> latestConversionValueP99() {
    return pool.query(
            "select percentile_cont(0.99) within group (order by value) from (select value from"
                + " outcomes where type = 'conversion' and value is not null order by received_at"
                + " desc limit 10000) v")
        .execute()
        .map(rows -> rows.iterator().next().getDouble(0));
  }
}
