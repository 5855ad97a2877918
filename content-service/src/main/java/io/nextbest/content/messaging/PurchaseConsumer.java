package io.nextbest.content.messaging;

import io.nextbest.common.messaging.DeadLetterQueue;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.content.recs.ItemGraph;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Learns the co-purchase graph from purchase events: per order, each item's order count, each pair
 * of its items, and the customer's purchase history. An event counts once: its id is claimed in the
 * same transaction as the counts. An event that cannot be read goes to {@code
 * nextbest.events.v1.dlq}.
 */
@ApplicationScoped
public class PurchaseConsumer {

  private final Pool pool;
  private final JsonCodec json;
  private final DeadLetterQueue deadLetters;

  public PurchaseConsumer(Pool pool, JsonCodec json, DeadLetterQueue deadLetters) {
    this.pool = pool;
    this.json = json;
    this.deadLetters = deadLetters;
  }

  /** One order's distinct items. */
  record Order(CustomerEvent event, List<String> items, Map<String, String> names) {}

  @Incoming("purchases")
  public Uni<Void> onEvents(List<String> payloads) {
    return deadLetters
        .readAll(
            Topics.EVENTS,
            payloads,
            p -> p.contains("\"purchase\"") ? orderOf(json.read(p, CustomerEvent.class)) : null)
        .chain(
            orders ->
                orders.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : Retries.whileOutage(pool.withTransaction(c -> apply(c, orders))))
        .replaceWithVoid();
  }

  static Order orderOf(CustomerEvent e) {
    if (!"purchase".equals(e.type())
        || e.id() == null
        || e.customerId() == null
        || e.occurredAt() == null
        || e.properties() == null
        || !(e.properties().get("items") instanceof List<?> list)) {
      return null;
    }
    Set<String> items = new LinkedHashSet<>();
    Map<String, String> names = new HashMap<>();
    for (Object o : list) {
      if (o instanceof Map<?, ?> m && m.get("sku") instanceof String sku && !sku.isBlank()) {
        items.add(sku);
        if (m.get("name") instanceof String name && !name.isBlank()) {
          names.put(sku, name.length() > 200 ? name.substring(0, 200) : name);
        }
      }
    }
    if (items.isEmpty()) {
      return null;
    }
    List<String> distinct = new ArrayList<>(items);
    if (distinct.size() > ItemGraph.MAX_ITEMS_PER_ORDER) {
      distinct = distinct.subList(0, ItemGraph.MAX_ITEMS_PER_ORDER);
    }
    return new Order(e, distinct, names);
  }

  private Uni<Void> apply(SqlConnection c, List<Order> orders) {
    List<Tuple> ids = orders.stream().map(o -> Tuple.of(o.event().id())).toList();
    return c.preparedQuery(
            "insert into seen_purchases (event_id) values ($1) on conflict do nothing"
                + " returning event_id")
        .executeBatch(ids)
        .chain(
            result -> {
              Set<String> fresh = new java.util.HashSet<>();
              for (var rs = result; rs != null; rs = rs.next()) {
                for (Row r : rs) {
                  fresh.add(r.getString("event_id"));
                }
              }
              List<Order> counted =
                  orders.stream().filter(o -> fresh.remove(o.event().id())).toList();
              return count(c, counted);
            });
  }

  private static Uni<Void> count(SqlConnection c, List<Order> orders) {
    if (orders.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Map<String, Long> popularity = new java.util.TreeMap<>();
    Map<String, String> names = new HashMap<>();
    Map<String, Long> pairs = new java.util.TreeMap<>();
    Map<String, Tuple> history = new java.util.TreeMap<>();
    for (Order o : orders) {
      names.putAll(o.names());
      for (String a : o.items()) {
        popularity.merge(a, 1L, Long::sum);
        for (String b : o.items()) {
          if (!a.equals(b)) {
            pairs.merge(a + "\u0000" + b, 1L, Long::sum);
          }
        }
        history.put(
            o.event().customerId() + "\u0000" + a,
            Tuple.of(o.event().customerId(), a, o.event().occurredAt().atOffset(ZoneOffset.UTC)));
      }
    }
    List<Tuple> itemRows = new ArrayList<>();
    popularity.forEach((item, n) -> itemRows.add(Tuple.of(item, names.get(item), n)));
    List<Tuple> pairRows = new ArrayList<>();
    pairs.forEach(
        (k, n) -> {
          int cut = k.indexOf('\u0000');
          pairRows.add(Tuple.of(k.substring(0, cut), k.substring(cut + 1), n));
        });
    // sorted keys: concurrent replicas take row locks in the same order
    return batch(
            c,
            "insert into item_stats (item, name, orders) values ($1, $2, $3) on conflict (item) do"
                + " update set orders = item_stats.orders + excluded.orders,"
                + " name = coalesce(excluded.name, item_stats.name)",
            itemRows)
        .chain(
            () ->
                batch(
                    c,
                    "insert into item_pairs (a, b, orders) values ($1, $2, $3) on conflict (a, b)"
                        + " do update set orders = item_pairs.orders + excluded.orders",
                    pairRows))
        .chain(
            () ->
                batch(
                    c,
                    "insert into customer_items (customer_id, item, bought_at)"
                        + " select $1::text, $2::text, $3::timestamptz"
                        + " where "
                        + ErasedCustomers.notErasedAt("$1::text", "$3::timestamptz")
                        + " on conflict (customer_id, item) do update set bought_at ="
                        + " greatest(customer_items.bought_at, excluded.bought_at)",
                    new ArrayList<>(history.values())));
  }

  private static Uni<Void> batch(SqlConnection c, String sql, List<Tuple> rows) {
    return rows.isEmpty()
        ? Uni.createFrom().voidItem()
        : c.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
  }
}
