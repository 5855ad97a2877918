package io.nextbest.eligibility.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The do-not-contact list: per customer, the channels (or "*" for all) never to use. */
@ApplicationScoped
public class DoNotContactRepository {
  private final Pool pool;

  public DoNotContactRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * One entry.
   *
   * @param channel a channel, or "*" for all
   * @param reason why, as given
   * @param addedAt when
   */
  public record Entry(String channel, String reason, OffsetDateTime addedAt) {}

  /**
   * The whole list when it has at most {@code maxRows} rows, else null (it is read per customer).
   */
  public Uni<Map<String, Set<String>>> allUpTo(int maxRows) {
    // counted first, in the index: a long list is never read only to be thrown away
    return pool.preparedQuery("select count(*) from (select 1 from do_not_contact limit $1) t")
        .execute(Tuple.of(maxRows + 1))
        .chain(
            counted ->
                counted.iterator().next().getLong(0) > maxRows
                    ? Uni.createFrom().<Map<String, Set<String>>>nullItem()
                    : pool.preparedQuery("select customer_id, channel from do_not_contact limit $1")
                        .execute(Tuple.of(maxRows + 1))
                        .map(rows -> rows.size() > maxRows ? null : byCustomer(rows)));
  }

  /** The entries of these customers (those without any are absent). */
  public Uni<Map<String, Set<String>>> of(Collection<String> customerIds) {
    return pool.preparedQuery(
            "select customer_id, channel from do_not_contact where customer_id = any($1)")
        .execute(Tuple.of(customerIds.stream().distinct().toArray(String[]::new)))
        .map(DoNotContactRepository::byCustomer);
  }

  private static Map<String, Set<String>> byCustomer(RowSet<Row> rows) {
    Map<String, Set<String>> out = new HashMap<>();
    for (Row r : rows) {
      out.computeIfAbsent(r.getString(0), k -> new TreeSet<>()).add(r.getString(1));
    }
    return out;
  }

  public Uni<List<Entry>> of(String customerId) {
    return pool.preparedQuery(
            "select channel, reason, added_at from do_not_contact where customer_id = $1"
                + " order by channel")
        .execute(Tuple.of(customerId))
        .map(
            rows -> {
              List<Entry> out = new java.util.ArrayList<>();
              for (Row r : rows) {
                out.add(new Entry(r.getString(0), r.getString(1), r.getOffsetDateTime(2)));
              }
              return out;
            });
  }

  public Uni<Void> add(String customerId, List<String> channels, String reason) {
    return pool.preparedQuery(
            "insert into do_not_contact (customer_id, channel, reason)"
                + " select $1, unnest($2::text[]), $3"
                + " on conflict (customer_id, channel) do update set reason = excluded.reason")
        .execute(Tuple.of(customerId, channels.toArray(String[]::new), reason))
        .replaceWithVoid();
  }

  public Uni<Void> remove(String customerId) {
    return pool.preparedQuery("delete from do_not_contact where customer_id = $1")
        .execute(Tuple.of(customerId))
        .replaceWithVoid();
  }
}
