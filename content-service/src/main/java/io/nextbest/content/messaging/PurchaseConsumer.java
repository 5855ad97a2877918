package io.nextbest.content.messaging;

import io.nextbest.common.messaging.EventTypes;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.RecordBatches;
import io.nextbest.common.messaging.Retries;
import io.nextbest.content.RecsConfig;
import io.nextbest.content.repository.CoPurchaseRepository;
import io.nextbest.content.repository.CoPurchaseRepository.CustomerItem;
import io.nextbest.content.repository.CoPurchaseRepository.Item;
import io.nextbest.content.repository.CoPurchaseRepository.PairOrders;
import io.nextbest.content.repository.SeenPurchaseRepository;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Topics;
import io.nextbest.models.recs.CoPurchaseCounts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  private static final Comparator<Pair> PAIR_ORDER =
      Comparator.comparing(Pair::a).thenComparing(Pair::b);

  private final Pool pool;
  private final JsonCodec json;
  private final RecordBatches batches;
  private final RecsConfig recs;
  private final SeenPurchaseRepository seen;
  private final CoPurchaseRepository purchases;

  public PurchaseConsumer(
      Pool pool,
      JsonCodec json,
      RecordBatches batches,
      RecsConfig recs,
      SeenPurchaseRepository seen,
      CoPurchaseRepository purchases) {
    this.pool = pool;
    this.json = json;
    this.batches = batches;
    this.recs = recs;
    this.seen = seen;
    this.purchases = purchases;
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
    return seen.claim(c, orders.stream().map(Order::id).toList())
        .chain(
            fresh -> {
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
    Map<String, CustomerItem> history = new TreeMap<>();
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
            o.customerId() + "\u0000" + a, new CustomerItem(o.customerId(), a, o.occurredAt()));
      }
    }
    List<Item> items = new ArrayList<>(popularity.size());
    popularity.forEach((item, n) -> items.add(new Item(item, names.get(item), n)));
    List<PairOrders> pairOrders = new ArrayList<>(pairs.size());
    pairs.forEach((p, n) -> pairOrders.add(new PairOrders(p.a(), p.b(), n)));
    long kept = recs.pairsKeptPerItem();
    return purchases
        .addItemOrders(c, items)
        .chain(
            () ->
                pairOrders.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : purchases
                        .addPairOrders(c, pairOrders, kept)
                        .chain(
                            grown ->
                                grown.isEmpty()
                                    ? Uni.createFrom().voidItem()
                                    : purchases.prunePairs(c, grown, kept)))
        .chain(() -> purchases.addCustomerItems(c, new ArrayList<>(history.values())));
  }
}
