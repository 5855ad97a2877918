package io.nextbest.content.recs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Item-to-item co-purchase recommendations with a popularity fallback. Items bought together in one
 * order are neighbours; a customer's candidates are scored by the cosine similarity of their
 * co-purchase counts to the items in the customer's history, and the list is filled with the most
 * popular items the customer has not bought.
 */
public final class ItemGraph {
  /** Orders with more distinct items than this count only their first items (bounds the pairs). */
  public static final int MAX_ITEMS_PER_ORDER = 40;

  /** Neighbours kept per item. */
  public static final int NEIGHBOURS = 50;

  private final Map<String, Long> popularity = new HashMap<>();
  private final Map<String, Map<String, Long>> pairs = new HashMap<>();
  private List<String> popular = List.of();

  /** Counts one order's distinct items. */
  public void addOrder(Collection<String> items) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(items));
    if (distinct.size() > MAX_ITEMS_PER_ORDER) {
      distinct = distinct.subList(0, MAX_ITEMS_PER_ORDER);
    }
    for (String a : distinct) {
      popularity.merge(a, 1L, Long::sum);
      for (String b : distinct) {
        if (!a.equals(b)) {
          addPair(a, b, 1);
        }
      }
    }
    popular = List.of();
  }

  /** Adds stored counts: an item's order count. */
  public void addPopularity(String item, long orders) {
    popularity.merge(item, orders, Long::sum);
    popular = List.of();
  }

  /** Adds stored counts: orders holding both items (one direction). */
  public void addPair(String a, String b, long orders) {
    pairs.computeIfAbsent(a, k -> new HashMap<>()).merge(b, orders, Long::sum);
  }

  /** Keeps each item's {@code n} strongest neighbours (what the service holds in memory). */
  public void prune(int n) {
    pairs.replaceAll(
        (item, neighbours) -> {
          if (neighbours.size() <= n) {
            return neighbours;
          }
          Map<String, Long> kept = new HashMap<>();
          neighbours.entrySet().stream()
              .sorted(
                  Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                      .thenComparing(Map.Entry.comparingByKey()))
              .limit(n)
              .forEach(e -> kept.put(e.getKey(), e.getValue()));
          return kept;
        });
  }

  public int items() {
    return popularity.size();
  }

  /** The {@code k} most popular items not in {@code exclude}. */
  public List<String> popular(int k, Set<String> exclude) {
    List<String> ranked = ranking();
    List<String> out = new ArrayList<>(k);
    for (String item : ranked) {
      if (out.size() == k) {
        break;
      }
      if (!exclude.contains(item)) {
        out.add(item);
      }
    }
    return out;
  }

  /**
   * The {@code k} best items for a customer who bought {@code history}, none of them already
   * bought; popular items fill the list when the history has too few neighbours.
   */
  public List<Scored> recommend(Collection<String> history, int k) {
    Set<String> owned = new HashSet<>(history);
    Map<String, Double> scores = new HashMap<>();
    for (String i : owned) {
      Map<String, Long> neighbours = pairs.get(i);
      long pi = popularity.getOrDefault(i, 0L);
      if (neighbours == null || pi == 0) {
        continue;
      }
      neighbours.forEach(
          (j, n) -> {
            long pj = popularity.getOrDefault(j, 0L);
            if (!owned.contains(j) && pj > 0) {
              scores.merge(j, n / Math.sqrt((double) pi * pj), Double::sum);
            }
          });
    }
    List<Scored> out = new ArrayList<>(k);
    scores.entrySet().stream()
        .sorted(
            Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(k)
        .forEach(e -> out.add(new Scored(e.getKey(), e.getValue(), "co-purchase")));
    if (out.size() < k) {
      Set<String> exclude = new HashSet<>(owned);
      out.forEach(s -> exclude.add(s.item()));
      popular(k - out.size(), exclude).forEach(i -> out.add(new Scored(i, 0, "popular")));
    }
    return out;
  }

  private List<String> ranking() {
    if (popular.isEmpty() && !popularity.isEmpty()) {
      popular =
          popularity.entrySet().stream()
              .sorted(
                  Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                      .thenComparing(Map.Entry.comparingByKey()))
              .limit(500)
              .map(Map.Entry::getKey)
              .toList();
    }
    return popular;
  }

  /** A recommended item, its score and where it came from (co-purchase or popular). */
  public record Scored(String item, double score, String source) {}
}
