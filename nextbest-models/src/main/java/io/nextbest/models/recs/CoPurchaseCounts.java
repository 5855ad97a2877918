package io.nextbest.models.recs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The co-purchase counts under the bounds the service keeps them in PostgreSQL ({@code
 * messaging/PurchaseConsumer}): an order's first distinct items count, a batch of orders is counted
 * in chunks of a bounded number of pairs, and after each chunk every item it touched keeps only its
 * strongest pairs (ties by item id). Held in memory here for the offline evaluation, so that it
 * measures the graph the service serves; the chunking and the choice of items are shared with the
 * service.
 *
 * <p>Pruning makes the counts approximate: a pair dropped and bought again starts from one. The
 * pairs kept per item are a few times the neighbours shown, so those stay exact in practice.
 */
public final class CoPurchaseCounts {
  private static final Comparator<Map.Entry<String, Long>> STRONGEST_FIRST =
      Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
          .thenComparing(Map.Entry.comparingByKey());

  private final int maxItemsPerOrder;
  private final int pairsPerWrite;
  private final int pairsKeptPerItem;
  private final Map<String, Long> popularity = new HashMap<>();
  private final Map<String, Map<String, Long>> pairs = new HashMap<>();

  public CoPurchaseCounts(int maxItemsPerOrder, int pairsPerWrite, int pairsKeptPerItem) {
    this.maxItemsPerOrder = maxItemsPerOrder;
    this.pairsPerWrite = pairsPerWrite;
    this.pairsKeptPerItem = pairsKeptPerItem;
  }

  /** The items of an order that count: its first {@code max} distinct ones. */
  public static List<String> counted(Collection<String> items, int max) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(items));
    return distinct.size() > max ? List.copyOf(distinct.subList(0, max)) : distinct;
  }

  /**
   * Consecutive chunks of orders written together: each holds at most {@code pairsPerWrite} rows
   * (an order of n items writes n² − n pairs and n item counts, n² rows), or a single larger order.
   */
  public static <T> List<List<T>> chunks(
      List<T> orders, ToIntFunction<T> items, int pairsPerWrite) {
    List<List<T>> out = new ArrayList<>();
    List<T> chunk = new ArrayList<>();
    long rows = 0;
    for (T order : orders) {
      long n = items.applyAsInt(order);
      if (!chunk.isEmpty() && rows + n * n > pairsPerWrite) {
        out.add(chunk);
        chunk = new ArrayList<>();
        rows = 0;
      }
      chunk.add(order);
      rows += n * n;
    }
    if (!chunk.isEmpty()) {
      out.add(chunk);
    }
    return out;
  }

  /** Counts a batch of orders as the service counts one polled batch. */
  public void add(List<? extends Collection<String>> orders) {
    List<List<String>> counted = new ArrayList<>(orders.size());
    for (Collection<String> o : orders) {
      counted.add(counted(o, maxItemsPerOrder));
    }
    for (List<List<String>> chunk : chunks(counted, List::size, pairsPerWrite)) {
      Set<String> touched = new HashSet<>();
      for (List<String> order : chunk) {
        for (String a : order) {
          popularity.merge(a, 1L, Long::sum);
          for (String b : order) {
            if (!a.equals(b)) {
              pairs.computeIfAbsent(a, x -> new HashMap<>()).merge(b, 1L, Long::sum);
              touched.add(a);
            }
          }
        }
      }
      touched.forEach(this::prune);
    }
  }

  /** Items counted. */
  public int items() {
    return popularity.size();
  }

  /** Pairs kept for {@code item}. */
  public int pairs(String item) {
    Map<String, Long> p = pairs.get(item);
    return p == null ? 0 : p.size();
  }

  /**
   * The graph the service would load: the {@code maxItems} most popular items (ties by id), each
   * with its {@code neighbours} strongest neighbours among them.
   */
  public ItemGraph graph(int maxItems, int neighbours) {
    ItemGraph.Builder b = ItemGraph.builder(maxItems, neighbours);
    List<String> ranked =
        popularity.entrySet().stream()
            .sorted(STRONGEST_FIRST)
            .limit(maxItems)
            .map(Map.Entry::getKey)
            .toList();
    for (String item : ranked) {
      b.item(item, null, popularity.get(item));
    }
    for (String a : ranked) {
      Map<String, Long> p = pairs.get(a);
      if (p == null) {
        continue;
      }
      for (Map.Entry<String, Long> e : p.entrySet().stream().sorted(STRONGEST_FIRST).toList()) {
        if (b.full(a)) {
          break;
        }
        b.neighbour(a, e.getKey(), e.getValue());
      }
    }
    return b.build();
  }

  private void prune(String item) {
    Map<String, Long> p = pairs.get(item);
    if (p.size() <= pairsKeptPerItem) {
      return;
    }
    Map<String, Long> kept = new HashMap<>();
    p.entrySet().stream()
        .sorted(STRONGEST_FIRST)
        .limit(pairsKeptPerItem)
        .forEach(e -> kept.put(e.getKey(), e.getValue()));
    pairs.put(item, kept);
  }
}
