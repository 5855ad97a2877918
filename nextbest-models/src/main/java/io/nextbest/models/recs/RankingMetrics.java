package io.nextbest.models.recs;

import java.util.List;
import java.util.Set;

/** Hit rate and NDCG of a top-k list against the items a customer actually bought. */
public final class RankingMetrics {
  private double hits;
  private double ndcg;
  private long users;

  /** Scores one customer's list against their relevant items. */
  public void add(List<String> ranked, Set<String> relevant, int k) {
    double dcg = 0;
    boolean hit = false;
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      if (relevant.contains(ranked.get(i))) {
        hit = true;
        dcg += 1 / log2(i + 2);
      }
    }
    double ideal = 0;
    for (int i = 0; i < Math.min(k, relevant.size()); i++) {
      ideal += 1 / log2(i + 2);
    }
    hits += hit ? 1 : 0;
    ndcg += ideal > 0 ? dcg / ideal : 0;
    users++;
  }

  public double hitRate() {
    return users == 0 ? 0 : hits / users;
  }

  public double ndcg() {
    return users == 0 ? 0 : ndcg / users;
  }

  public long users() {
    return users;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
