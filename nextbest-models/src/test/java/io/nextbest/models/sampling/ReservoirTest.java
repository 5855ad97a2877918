package io.nextbest.models.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReservoirTest {

  /** Runs a stream of 0..n-1 through a reservoir, keeping the items in a list as a caller would. */
  private static List<Integer> sample(int capacity, int n, long seed) {
    Reservoir reservoir = new Reservoir(capacity, seed);
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int slot = reservoir.offer();
      if (slot == kept.size()) {
        kept.add(i);
      } else if (slot >= 0) {
        kept.set(slot, i);
      }
      assertThat(kept.size()).isLessThanOrEqualTo(capacity);
    }
    assertThat(reservoir.seen()).isEqualTo(n);
    assertThat(reservoir.size()).isEqualTo(Math.min(n, capacity));
    return kept;
  }

  @Test
  void keepsEveryItemInOrderWhileTheStreamFits() {
    for (int n : new int[] {0, 1, 7, 100}) {
      assertThat(sample(100, n, 1)).containsExactlyElementsOf(range(n));
    }
  }

  @Test
  void neverHoldsMoreThanItsCapacityWhateverTheStreamsLength() {
    for (int n : new int[] {101, 1_000, 250_000}) {
      List<Integer> kept = sample(100, n, 2);
      assertThat(kept).hasSize(100).doesNotHaveDuplicates().allMatch(i -> i >= 0 && i < n);
    }
  }

  @Test
  void givesEveryItemTheSameChanceOfBeingKept() {
    // 2,000 seeded runs of a 10-of-100 sample: each item is kept 200 times in expectation
    // (standard deviation 13.4); the bounds are six standard deviations wide
    int[] kept = new int[100];
    for (long seed = 0; seed < 2_000; seed++) {
      sample(10, 100, seed).forEach(i -> kept[i]++);
    }
    for (int i = 0; i < kept.length; i++) {
      assertThat(kept[i]).as("item %d", i).isBetween(120, 280);
    }
    // early and late halves equally represented
    int early = 0;
    for (int i = 0; i < 50; i++) {
      early += kept[i];
    }
    assertThat(early).isBetween(9_500, 10_500);
  }

  @Test
  void theSameSeedGivesTheSameSample() {
    assertThat(sample(50, 10_000, 42)).isEqualTo(sample(50, 10_000, 42));
  }

  @Test
  void refusesAReservoirWithoutRoom() {
    assertThatThrownBy(() -> new Reservoir(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }
}
