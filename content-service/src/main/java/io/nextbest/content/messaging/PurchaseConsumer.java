package io.nextbest.content.messaging;

import io.nextbest.common.messaging.EventTypes;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.RecordBatches;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.content.RecsConfig;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Topics;
import io.nextbest.models.recs.CoPurchaseCounts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Learns the co-purchase graph from purchase events: per order, each item's order count, each pair
 * of its items, and the customer's purchase history. An event counts once: its id is claimed in the
 * same transaction as the counts. An event that cannot be read goes to {@code
 * nextbest.events.v1.dlq}.
 *
 * <p>Bounded by {@link RecsConfig}: an order counts its first {@code max-items-per-order} distinct
 * items; a polled batch is counted in chunks of at most {@code pairs-per-write} pairs, one
 * transaction each; and after each chunk every item that got a new pair keeps only its {@code
 * pairs-kept-per-item} strongest pairs, so {@code item_pairs} grows with the items, not with their
 * square.
 */
@ApplicationScoped
public class PurchaseConsumer {
  /**
   * Item ids and names are at most this long: a longer id is not counted, a longer name is cut
   * (bounds what one item costs in the graph every replica holds).
   */
  static final int MAX_TEXT = 200;

  private static final String PURCHASE = "purchase";

  /**
   * Adds a chunk's pairs. A pair new to an item already holding {@code pairs-kept-per-item} pairs
   * is stored only if it would rank among them (orders, then the other item's id), against the
   * item's weakest kept pair before the chunk: one that would be pruned at once is never written.
   * This keeps exactly the pairs an insert followed by pruning would, at a fraction of the writes.
   * Answers the items that got a new pair: only those can be over their bound.
   */
  private static final String COUNT_PAIRS =
      "with u as (select * from unnest($1::text[], $2::text[], $3::bigint[]) as u(a, b, n)),"
          + " weakest as (select t.a, k.orders, k.b from (select distinct a from u) t"
          + " cross join lateral (select orders, b from item_pairs where a = t.a"
          + " order by orders desc, b offset $4 - 1 limit 1) k),"
          + " counted as (insert into item_pairs (a, b, orders) select u.a, u.b, u.n from u"
          + " left join weakest w on w.a = u.a"
          + " where w.a is null or u.n > w.orders or (u.n = w.orders and u.b < w.b)"
          + " or exists (select 1 from item_pairs e where e.a = u.a and e.b = u.b)"
          + " order by u.a, u.b"
          + " on conflict (a, b) do update set orders = item_pairs.orders + excluded.orders"
          // an inserted row has no xmax, an updated one this transaction's
          + " returning a, xmax = 0 as added)"
          + " select distinct a from counted where added order by a";

  private static final Comparator<Pair> PAIR_ORDER =
      Comparator.comparing(Pair::a).thenComparing(Pair::b);

  private final Pool pool;
  private final JsonCodec json;
  private final RecordBatches batches;
  private final RecsConfig recs;

  public PurchaseConsumer(Pool pool, JsonCodec json, RecordBatches batches, RecsConfig recs) {
    this.pool = pool;
    this.json = json;
    this.batches = batches;
    this.recs = recs;
  }

  /** One order's distinct items (those that count) and their names. */
  record Order(
      String id,
      String customerId,
      Instant occurredAt,
      List<String> items,
      Map<String, String> names) {}

  /** A co-purchase, one direction. */
  private record Pair(String a, String b) {}

  @Incoming("purchases")
  public Uni<Void> onEvents(ConsumerRecords<String, String> records) {
    List<ConsumerRecord<String, String>> list = RecordBatches.list(records);
    return batches
        .readAll(Topics.EVENTS, list, ConsumerRecord::value, this::orderOf)
        .chain(this::countAll);
  }

  /** The order a purchase counts; null for other events, skipped by their type unparsed. */
  private Order orderOf(ConsumerRecord<String, String> record) {
    return PURCHASE.equals(EventTypes.of(record))
        ? orderOf(json.read(record.value(), CustomerEvent.class), recs.maxItemsPerOrder())
        : null;
  }

  private Uni<Void> countAll(List<Order> orders) {
    Uni<Void> done = Uni.createFrom().voidItem();
    for (List<Order> chunk :
        CoPurchaseCounts.chunks(orders, o -> o.items().size(), recs.pairsPerWrite())) {
      done = done.chain(() -> Retries.whileOutage(pool.withTransaction(c -> apply(c, chunk))));
    }
    return done;
  }

  static Order orderOf(CustomerEvent e, int maxItems) {
    if (!PURCHASE.equals(e.type())
        || e.id() == null
        || e.customerId() == null
        || e.occurredAt() == null
        || e.properties() == null
        || !(e.properties().get("items") instanceof List<?> list)) {
      return null;
    }
    List<String> skus = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (Object o : list) {
      if (o instanceof Map<?, ?> m
          && m.get("sku") instanceof String sku
          && !sku.isBlank()
          && sku.length() <= MAX_TEXT) {
        skus.add(sku);
        if (m.get("name") instanceof String name && !name.isBlank()) {
          names.put(sku, name.length() > MAX_TEXT ? name.substring(0, MAX_TEXT) : name);
        }
      }
    }
    List<String> items = CoPurchaseCounts.counted(skus, maxItems);
    if (items.isEmpty()) {
      return null;
    }
    names.keySet().retainAll(items);
    return new Order(e.id(), e.customerId(), e.occurredAt(), items, names);
  }

  private Uni<Void> apply(SqlConnection c, List<Order> orders) {
    List<Tuple> ids = orders.stream().map(o -> Tuple.of(o.id())).toList();
    return c.preparedQuery(
            "insert into seen_purchases (event_id) values ($1) on conflict do nothing"
                + " returning event_id")
        .executeBatch(ids)
        .chain(
            result -> {
              Set<String> fresh = new HashSet<>();
              for (var rs = result; rs != null; rs = rs.next()) {
                for (Row r : rs) {
                  fresh.add(r.getString("event_id"));
                }
              }
              List<Order> counted = orders.stream().filter(o -> fresh.remove(o.id())).toList();
              return count(c, counted);
            });
  }

  private Uni<Void> count(SqlConnection c, List<Order> orders) {
    if (orders.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    // sorted keys (item_pairs: sorted in SQL): concurrent replicas take row locks in one order
    Map<String, Long> popularity = new TreeMap<>();
    Map<String, String> names = new HashMap<>();
    Map<Pair, Long> pairs = new TreeMap<>(PAIR_ORDER);
    Map<String, Tuple> history = new TreeMap<>();
    for (Order o : orders) {
      names.putAll(o.names());
      for (String a : o.items()) {
        popularity.merge(a, 1L, Long::sum);
        for (String b : o.items()) {
          if (!a.equals(b)) {
            pairs.merge(new Pair(a, b), 1L, Long::sum);
          }
        }
        history.put(
            o.customerId() + "\u0000" + a,
            Tuple.of(o.customerId(), a, o.occurredAt().atOffset(ZoneOffset.UTC)));
      }
    }
    String[] items = popularity.keySet().toArray(String[]::new);
    String[] itemNames = new String[items.length];
    for (int i = 0; i < items.length; i++) {
      itemNames[i] = names.get(items[i]);
    }
    Long[] itemOrders = popularity.values().toArray(Long[]::new);
    String[] as = new String[pairs.size()];
    String[] bs = new String[pairs.size()];
    Long[] pairOrders = new Long[pairs.size()];
    int i = 0;
    for (Map.Entry<Pair, Long> e : pairs.entrySet()) {
      as[i] = e.getKey().a();
      bs[i] = e.getKey().b();
      pairOrders[i++] = e.getValue();
    }
    return c.preparedQuery(
            "insert into item_stats (item, name, orders) select * from unnest($1::text[],"
                + " $2::text[], $3::bigint[]) on conflict (item) do update set orders ="
                + " item_stats.orders + excluded.orders,"
                + " name = coalesce(excluded.name, item_stats.name)")
        .execute(Tuple.of(items, itemNames, itemOrders))
        .chain(
            () ->
                pairs.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : c.preparedQuery(COUNT_PAIRS)
                        .execute(Tuple.of(as, bs, pairOrders, (long) recs.pairsKeptPerItem()))
                        .chain(
                            added -> {
                              List<String> grown = new ArrayList<>();
                              added.forEach(r -> grown.add(r.getString("a")));
                              return grown.isEmpty()
                                  ? Uni.createFrom().voidItem()
                                  : prune(c, grown);
                            }))
        .chain(
            () ->
                c.preparedQuery(
                        "insert into customer_items (customer_id, item, bought_at)"
                            + " select $1::text, $2::text, $3::timestamptz"
                            + " where "
                            + ErasedCustomers.notErasedAt("$1::text", "$3::timestamptz")
                            + " on conflict (customer_id, item) do update set bought_at ="
                            + " greatest(customer_items.bought_at, excluded.bought_at)")
                    .executeBatch(new ArrayList<>(history.values())))
        .replaceWithVoid();
  }

  /**
   * Deletes the pairs of {@code items} beyond each one's strongest {@code pairs-kept-per-item}
   * (ties by the other item's id). Only those rows are locked, and one another transaction holds is
   * skipped rather than waited for: pruning never waits, so it cannot deadlock with the counts of
   * another replica; a skipped row leaves its item a pair over the bound until the item's next new
   * pair.
   */
  private Uni<Void> prune(SqlConnection c, List<String> items) {
    return c.preparedQuery(
            "delete from item_pairs p using (select v.a, v.b from item_pairs v where (v.a, v.b) in"
                + " (select x.a, x.b from unnest($1::text[]) as t(item) cross join lateral"
                + " (select a, b from item_pairs where a = t.item order by orders desc, b"
                + " offset $2) x) for update skip locked) d where p.a = d.a and p.b = d.b")
        .execute(Tuple.of(items.toArray(String[]::new), (long) recs.pairsKeptPerItem()))
        .replaceWithVoid();
  }
}
