package io.nextbest.models.recs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CoPurchaseCountsTest {

  @Test
  void anOrderCountsItsFirstDistinctItemsOnly() {
    assertThat(CoPurchaseCounts.counted(List.of("a", "b", "a", "c", "d"), 3))
        .containsExactly("a", "b", "c");
    assertThat(CoPurchaseCounts.counted(List.of("a", "a"), 3)).containsExactly("a");
  }

  @Test
  void chunksStayWithinTheirRowsAndNeverSplitAnOrder() {
    Random random = new Random(7);
    List<Integer> orders = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      orders.add(1 + random.nextInt(40));
    }
    orders.add(100); // larger than a chunk: written alone
    List<List<Integer>> chunks = CoPurchaseCounts.chunks(orders, n -> n, 1_600);
    assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(orders);
    for (List<Integer> chunk : chunks) {
      long rows = chunk.stream().mapToLong(n -> (long) n * n).sum();
      assertThat(rows <= 1_600 || chunk.size() == 1).as("chunk %s", chunk).isTrue();
    }
    assertThat(chunks).contains(List.of(100));
    assertThat(CoPurchaseCounts.chunks(List.<Integer>of(), n -> n, 10)).isEmpty();
  }

  @Test
  void eachItemKeepsItsStrongestPairsAfterEveryChunk() {
    CoPurchaseCounts counts = new CoPurchaseCounts(40, 4, 2);
    // chunks of one two-item order each (4 rows): the hub is pruned after every order
    counts.add(
        List.of(
            List.of("hub", "n1"),
            List.of("hub", "n1"),
            List.of("hub", "n1"),
            List.of("hub", "n2"),
            List.of("hub", "n2"),
            List.of("hub", "n3"),
            List.of("hub", "n4")));
    assertThat(counts.pairs("hub")).isEqualTo(2);
    assertThat(counts.pairs("n1")).isEqualTo(1);
    assertThat(counts.graph(10, 10).neighbours("hub")).containsExactly("n1", "n2");
    assertThat(counts.items()).isEqualTo(5);
  }

  @Test
  void pairsPerItemStayBoundedWhateverTheOrders() {
    Random random = new Random(11);
    CoPurchaseCounts counts = new CoPurchaseCounts(10, 500, 20);
    for (int batch = 0; batch < 20; batch++) {
      List<List<String>> orders = new ArrayList<>();
      for (int o = 0; o < 200; o++) {
        List<String> order = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(30); i < n; i++) {
          order.add("sku-" + random.nextInt(300));
        }
        orders.add(order);
      }
      counts.add(orders);
    }
    for (int i = 0; i < 300; i++) {
      assertThat(counts.pairs("sku-" + i)).isLessThanOrEqualTo(20);
    }
    ItemGraph g = counts.graph(100, 5);
    assertThat(g.items()).isEqualTo(100);
    for (String item : g.popular(100, java.util.Set.of())) {
      assertThat(g.neighbours(item)).hasSizeLessThanOrEqualTo(5).allMatch(g::contains);
    }
  }
}
