package io.nextbest.models.recs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Item-to-item co-purchase recommendations with a popularity fallback. Items bought together in one
 * order are neighbours; a customer's candidates are scored by the cosine similarity of their
 * co-purchase counts to the items in the customer's history, {@code Σ co-orders(i, j) /
 * √(orders(i)·orders(j))}, and the list is filled with the most popular items the customer has not
 * bought.
 *
 * <p>Immutable and compact, so that every replica can hold a bounded graph and swap it whole: items
 * are numbered by popularity (most popular first), an open-addressing table maps ids to numbers,
 * and each item owns a fixed run of neighbour slots in two int arrays (neighbour number,
 * co-orders): 8 bytes per slot and, besides its id and name, about 28 bytes per item.
 */
public final class ItemGraph {
  private static final ItemGraph EMPTY = builder(0, 0).build();

  private final String[] ids;
  private final String[] names;
  private final long[] orders;
  private final int[] index;
  private final int slots;
  private final int[] degree;
  private final int[] to;
  private final int[] coOrders;

  private ItemGraph(Builder b) {
    this.ids = Arrays.copyOf(b.ids, b.n);
    this.names = Arrays.copyOf(b.names, b.n);
    this.orders = Arrays.copyOf(b.orders, b.n);
    this.index = b.index;
    this.slots = b.slots;
    b.allocateNeighbours();
    this.degree = b.degree;
    this.to = b.to;
    this.coOrders = b.coOrders;
  }

  /** A graph without items: every customer gets nothing until purchases are counted. */
  public static ItemGraph empty() {
    return EMPTY;
  }

  /**
   * A graph of at most {@code maxItems} items with at most {@code neighbours} neighbours each.
   * Items are given first, most popular first; then each item's neighbours, strongest first.
   */
  public static Builder builder(int maxItems, int neighbours) {
    return new Builder(maxItems, neighbours);
  }

  /** Items held. */
  public int items() {
    return ids.length;
  }

  /** Neighbour slots per item: the most neighbours an item can have here. */
  public int neighbourSlots() {
    return slots;
  }

  public boolean contains(String item) {
    return find(ids, index, item) >= 0;
  }

  /** An item's neighbours, strongest first; empty for an item not held. */
  public List<String> neighbours(String item) {
    int i = find(ids, index, item);
    if (i < 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>(degree[i]);
    for (int s = 0; s < degree[i]; s++) {
      out.add(ids[to[i * slots + s]]);
    }
    return out;
  }

  /** The item's name, or null when it has none or is not held. */
  public String name(String item) {
    int i = find(ids, index, item);
    return i < 0 ? null : names[i];
  }

  /** The {@code k} most popular items not in {@code exclude}. */
  public List<String> popular(int k, Set<String> exclude) {
    List<String> out = new ArrayList<>(k);
    for (int i = 0; i < ids.length && out.size() < k; i++) {
      if (!exclude.contains(ids[i])) {
        out.add(ids[i]);
      }
    }
    return out;
  }

  /**
   * The {@code k} best items for a customer who bought {@code history}, none of them already
   * bought; popular items fill the list when the history has too few neighbours here.
   */
  public List<Scored> recommend(Collection<String> history, int k) {
    Set<String> owned = new HashSet<>(history);
    Map<Integer, Double> scores = new HashMap<>();
    for (String item : owned) {
      int i = find(ids, index, item);
      if (i < 0 || orders[i] <= 0) {
        continue;
      }
      for (int s = i * slots, end = s + degree[i]; s < end; s++) {
        int j = to[s];
        if (orders[j] > 0 && !owned.contains(ids[j])) {
          scores.merge(j, coOrders[s] / Math.sqrt((double) orders[i] * orders[j]), Double::sum);
        }
      }
    }
    List<Scored> out = new ArrayList<>(k);
    scores.entrySet().stream()
        .sorted(
            Map.Entry.<Integer, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(e -> ids[e.getKey()]))
        .limit(k)
        .forEach(e -> out.add(new Scored(ids[e.getKey()], e.getValue(), "co-purchase")));
    if (out.size() < k) {
      Set<String> exclude = new HashSet<>(owned);
      out.forEach(s -> exclude.add(s.item()));
      popular(k - out.size(), exclude).forEach(i -> out.add(new Scored(i, 0, "popular")));
    }
    return out;
  }

  /** A recommended item, its score and where it came from (co-purchase or popular). */
  public record Scored(String item, double score, String source) {}

  private static int find(String[] ids, int[] index, String id) {
    int mask = index.length - 1;
    for (int h = spread(id.hashCode()) & mask; ; h = (h + 1) & mask) {
      int slot = index[h];
      if (slot == 0) {
        return -1;
      }
      if (ids[slot - 1].equals(id)) {
        return slot - 1;
      }
    }
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /** Collects a graph's items, then their neighbours; {@link #build()} ends it. */
  public static final class Builder {
    private final int maxItems;
    private final int slots;
    private String[] ids = new String[16];
    private String[] names = new String[16];
    private long[] orders = new long[16];
    private int[] index = new int[32];
    private int n;
    private int[] degree;
    private int[] to;
    private int[] coOrders;

    private Builder(int maxItems, int neighbours) {
      if (maxItems < 0 || neighbours < 0) {
        throw new IllegalArgumentException("bounds must not be negative");
      }
      this.maxItems = maxItems;
      this.slots = neighbours;
    }

    /**
     * Adds an item, less popular than those before it; ignored (false) beyond {@code maxItems} or
     * when the item is there already.
     */
    public boolean item(String id, String name, long orders) {
      if (to != null) {
        throw new IllegalStateException("every item comes before the first neighbour");
      }
      if (n == maxItems || find(ids, index, id) >= 0) {
        return false;
      }
      if (n == ids.length) {
        int size = (int) Math.min((long) n * 2, maxItems);
        this.ids = Arrays.copyOf(ids, size);
        this.names = Arrays.copyOf(names, size);
        this.orders = Arrays.copyOf(this.orders, size);
      }
      ids[n] = id;
      names[n] = name;
      this.orders[n] = orders;
      n++;
      if (n * 2 > index.length) {
        rehash(index.length * 2);
      } else {
        insert(n - 1);
      }
      return true;
    }

    /** Items added so far. */
    public int items() {
      return n;
    }

    /**
     * Adds {@code b} to {@code a}'s neighbours, with the orders holding both; ignored (false) when
     * either item is not held or {@code a} has all its neighbours already.
     */
    public boolean neighbour(String a, String b, long coOrders) {
      allocateNeighbours();
      int i = find(ids, index, a);
      int j = find(ids, index, b);
      if (i < 0 || j < 0 || i == j || degree[i] == slots) {
        return false;
      }
      to[i * slots + degree[i]] = j;
      this.coOrders[i * slots + degree[i]] = (int) Math.min(coOrders, Integer.MAX_VALUE);
      degree[i]++;
      return true;
    }

    /** Whether {@code item} has all the neighbours it can hold. */
    public boolean full(String item) {
      int i = find(ids, index, item);
      return i >= 0 && degree != null && degree[i] == slots;
    }

    public ItemGraph build() {
      return new ItemGraph(this);
    }

    private void allocateNeighbours() {
      if (to == null) {
        int size = Math.multiplyExact(n, slots);
        degree = new int[n];
        to = new int[size];
        coOrders = new int[size];
      }
    }

    private void rehash(int size) {
      index = new int[size];
      for (int i = 0; i < n; i++) {
        insert(i);
      }
    }

    private void insert(int i) {
      int mask = index.length - 1;
      int h = spread(ids[i].hashCode()) & mask;
      while (index[h] != 0) {
        h = (h + 1) & mask;
      }
      index[h] = i + 1;
    }
  }
}
