package io.nextbest.models.recs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemGraphTest {

  /** Counts without pruning and a graph holding every item with all its neighbours. */
  private static ItemGraph graphOf(List<List<String>> orders) {
    CoPurchaseCounts counts = new CoPurchaseCounts(40, 20_000, 1_000);
    counts.add(orders);
    return counts.graph(1_000, 50);
  }

  @Test
  void coPurchasedItemsComeFirstThenPopularOnes() {
    ItemGraph g =
        graphOf(
            List.of(
                List.of("tent", "stove"),
                List.of("tent", "stove", "mat"),
                List.of("mug"),
                List.of("mug"),
                List.of("mug")));
    List<ItemGraph.Scored> recs = g.recommend(List.of("tent"), 3);
    assertEquals(
        List.of("stove", "mat", "mug"), recs.stream().map(ItemGraph.Scored::item).toList());
    assertEquals("co-purchase", recs.get(0).source());
    assertEquals("popular", recs.get(2).source());
    assertEquals(2 / Math.sqrt(2 * 2), recs.get(0).score(), 1e-12);
  }

  @Test
  void unknownCustomerGetsTheMostPopularItemsAndOwnedItemsAreNeverRecommended() {
    ItemGraph g = graphOf(List.of(List.of("a", "b"), List.of("a"), List.of("c")));
    assertEquals(List.of("a", "b"), g.popular(2, Set.of()));
    assertEquals(
        List.of("b", "c"),
        g.recommend(List.of("a"), 5).stream().map(ItemGraph.Scored::item).toList());
    assertThat(g.recommend(List.of(), 2))
        .extracting(ItemGraph.Scored::source)
        .containsOnly("popular");
  }

  @Test
  void keepsTheStrongestNeighbours() {
    CoPurchaseCounts counts = new CoPurchaseCounts(40, 20_000, 1_000);
    counts.add(List.of(List.of("x", "y"), List.of("x", "y"), List.of("x", "z")));
    ItemGraph g = counts.graph(10, 1);
    assertEquals(List.of("y"), g.neighbours("x"));
    assertEquals("y", g.recommend(List.of("x"), 1).get(0).item());
  }

  @Test
  void holdsTheMostPopularItemsOnlyAndTheirNeighboursAmongThem() {
    CoPurchaseCounts counts = new CoPurchaseCounts(40, 20_000, 1_000);
    // popularity a 5, b 4, c 3, rare 1; a's strongest pair is with rare, which is not held
    counts.add(
        List.of(
            List.of("a", "rare"),
            List.of("a", "b"),
            List.of("a", "c"),
            List.of("a"),
            List.of("a"),
            List.of("b"),
            List.of("b"),
            List.of("b"),
            List.of("c"),
            List.of("c")));
    ItemGraph g = counts.graph(3, 2);
    assertEquals(3, g.items());
    assertThat(g.contains("rare")).isFalse();
    assertEquals(List.of("b", "c"), g.neighbours("a"));
    assertEquals(List.of("a", "b", "c"), g.popular(5, Set.of()));
    // a history outside the graph is answered as an unknown one: popular items
    assertThat(g.recommend(List.of("rare"), 2))
        .extracting(ItemGraph.Scored::item, ItemGraph.Scored::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", "popular"),
            org.assertj.core.groups.Tuple.tuple("b", "popular"));
  }

  @Test
  void theBuilderIgnoresItemsAndNeighboursBeyondItsBounds() {
    ItemGraph.Builder b = ItemGraph.builder(2, 1);
    assertThat(b.item("a", "Apple", 9)).isTrue();
    assertThat(b.item("a", "Apple", 9)).isFalse();
    assertThat(b.item("b", null, 5)).isTrue();
    assertThat(b.item("c", null, 1)).isFalse();
    assertThat(b.neighbour("a", "b", 3)).isTrue();
    assertThat(b.neighbour("a", "b", 2)).isFalse();
    assertThat(b.neighbour("b", "c", 1)).isFalse();
    assertThat(b.neighbour("b", "b", 1)).isFalse();
    ItemGraph g = b.build();
    assertEquals(2, g.items());
    assertEquals(1, g.neighbourSlots());
    assertEquals("Apple", g.name("a"));
    assertThat(g.name("b")).isNull();
    assertThat(g.neighbours("b")).isEmpty();
    assertThat(ItemGraph.empty().recommend(List.of("a"), 3)).isEmpty();
  }

  @Test
  void findsEveryItemOfALargeGraph() {
    ItemGraph.Builder b = ItemGraph.builder(5_000, 2);
    for (int i = 0; i < 6_000; i++) {
      b.item("sku-" + i, null, 10_000 - i);
    }
    for (int i = 0; i < 5_000; i++) {
      b.neighbour("sku-" + i, "sku-" + ((i + 1) % 5_000), 1);
    }
    ItemGraph g = b.build();
    assertEquals(5_000, g.items());
    for (int i = 0; i < 5_000; i++) {
      assertEquals(List.of("sku-" + ((i + 1) % 5_000)), g.neighbours("sku-" + i));
    }
    assertThat(g.contains("sku-5000")).isFalse();
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
