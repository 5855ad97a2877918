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

  /**
   * Stores the new outcomes and adds each new conversion to every logged decision of its customer
   * whose window holds it, unless the window already holds that order: the decision's own sums and
   * the daily rollup move by the difference (a decision's first conversion makes it converted, its
   * value's square grows from the old total to the new).
   */
  private static final String STORE_ALL =
      "with ins as (insert into outcomes (outcome_id, type, customer_id, decision_id, value,"
          + " occurred_at, order_id) select u.id, u.type, u.customer, u.decision, u.value, u.at,"
          + " u.ord from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[],"
          + " $6::timestamptz[], $7::text[]) as u(id, type, customer, decision, value, at, ord)"
          + " where "
          + ErasedCustomers.notErasedAt("u.customer", "u.at")
          + " on conflict (outcome_id) do nothing returning outcome_id, type, customer_id, value,"
          + " occurred_at, coalesce(order_id, outcome_id) k), pairs as (select distinct on"
          + " (d.decision_id, n.k) d.decision_id, coalesce(n.value, 0) v from ins n join"
          + " decision_log d on d.customer_id = n.customer_id and d.decided_at <= n.occurred_at"
          + " where n.type = 'conversion' and n.occurred_at < d.decided_at + make_interval(days"
          + " => d.window_days) and not exists (select 1 from outcomes x where x.customer_id ="
          + " n.customer_id and x.type = 'conversion' and coalesce(x.order_id, x.outcome_id) ="
          + " n.k and x.occurred_at >= d.decided_at and x.occurred_at < d.decided_at +"
          + " make_interval(days => d.window_days)) order by d.decision_id, n.k, n.occurred_at),"
          + " hits as (select p.decision_id, count(*) n, sum(p.v) v, d.decided_at, d.campaign_id,"
          + " d.rule, d.control, d.policy_version = 'global-control' gc, d.conversions c0,"
          + " d.conversion_value v0 from pairs p join decision_log d on d.decision_id ="
          + " p.decision_id group by p.decision_id, d.decision_id), upd as (update decision_log d"
          + " set conversions = h.c0 + h.n, conversion_value = h.v0 + h.v from hits h where"
          + " d.decision_id = h.decision_id returning 1), daily as ("
          + DecisionLogRepository.ADD_DAILY.formatted(
              "select (decided_at at time zone 'UTC')::date, coalesce(campaign_id, ''), rule,"
                  + " control, gc, 0, count(*) filter (where c0 = 0), sum(v), sum((v0 + v) * (v0"
                  + " + v) - v0 * v0) from hits group by 1, 2, 3, 4, 5")
          + " returning 1) select (select count(*) from ins)";

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
    Tuple rows =
        Tuple.tuple(
            List.of(
                texts(o, Outcome::id),
                texts(o, Outcome::type),
                texts(o, Outcome::customerId),
                texts(o, Outcome::decisionId),
                doubles(o, Outcome::value),
                times(o, Outcome::occurredAt),
                texts(o, Outcome::orderId)));
    return pool.withTransaction(
        conn ->
            conn.query(DecisionLogRepository.LOCK_ROLLUPS)
                .execute()
                .chain(() -> conn.preparedQuery(STORE_ALL).execute(rows))
                .map(r -> r.iterator().next().getLong(0).intValue()));
  }

  /**
   * Erases a person's decisions and outcomes and remembers the erase (by the id's hash), so
   * decisions and outcomes still in flight are not stored afterwards; answers the rows removed.
   */
  public Uni<Integer> erase(String customerId) {
    return pool.withTransaction(
        conn ->
            conn.query(DecisionLogRepository.LOCK_ROLLUPS)
                .execute()
                .chain(() -> erased.remember(conn, customerId))
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
   * Up to {@code limit} outcomes of the customer that name one of {@code decisionIds}, oldest
   * first. Each row: decision id, outcome id, type, value, occurred at, order id.
   */
  public Uni<io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row>> forDecisions(
      String customerId, String[] decisionIds, int limit) {
    return pool.preparedQuery(
            "select decision_id, outcome_id, type, value, occurred_at, order_id from outcomes"
                + " where decision_id = any($1) and customer_id = $2 order by occurred_at,"
                + " outcome_id limit $3")
        .execute(Tuple.of(decisionIds, customerId, limit));
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
