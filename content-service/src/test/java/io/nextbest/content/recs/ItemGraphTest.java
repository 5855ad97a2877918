package io.nextbest.content.recs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemGraphTest {

  @Test
  void coPurchasedItemsComeFirstThenPopularOnes() {
    ItemGraph g = new ItemGraph();
    g.addOrder(List.of("tent", "stove"));
    g.addOrder(List.of("tent", "stove", "mat"));
    g.addOrder(List.of("mug"));
    g.addOrder(List.of("mug"));
    g.addOrder(List.of("mug"));
    List<ItemGraph.Scored> recs = g.recommend(List.of("tent"), 3);
    assertEquals(
        List.of("stove", "mat", "mug"), recs.stream().map(ItemGraph.Scored::item).toList());
    assertEquals("co-purchase", recs.get(0).source());
    assertEquals("popular", recs.get(2).source());
    assertEquals(2 / Math.sqrt(2 * 2), recs.get(0).score(), 1e-12);
  }

  @Test
  void unknownCustomerGetsTheMostPopularItemsAndOwnedItemsAreNeverRecommended() {
    ItemGraph g = new ItemGraph();
    g.addOrder(List.of("a", "b"));
    g.addOrder(List.of("a"));
    g.addOrder(List.of("c"));
    assertEquals(List.of("a", "b"), g.popular(2, Set.of()));
    assertEquals(
        List.of("b", "c"),
        g.recommend(List.of("a"), 5).stream().map(ItemGraph.Scored::item).toList());
  }

  @Test
  void pruningKeepsTheStrongestNeighbours() {
    ItemGraph g = new ItemGraph();
    g.addOrder(List.of("x", "y"));
    g.addOrder(List.of("x", "y"));
    g.addOrder(List.of("x", "z"));
    g.prune(1);
    List<ItemGraph.Scored> recs = g.recommend(List.of("x"), 1);
    assertEquals("y", recs.get(0).item());
  }

  @Test
  void metricsOfAPerfectAndOfAnEmptyList() {
    RankingMetrics m = new RankingMetrics();
    m.add(List.of("a", "b"), Set.of("a", "b"), 10);
    m.add(List.of("c"), Set.of("d"), 10);
    assertEquals(0.5, m.hitRate(), 1e-12);
    assertEquals(0.5, m.ndcg(), 1e-12);
  }
}
