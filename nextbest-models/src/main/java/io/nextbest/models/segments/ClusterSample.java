package io.nextbest.models.segments;

import io.nextbest.models.sampling.Reservoir;
import java.util.ArrayList;
import java.util.List;

/**
 * A uniform sample of at most {@code capacity} purchasers' feature rows ({@link Reservoir}), taken
 * in one pass, that the segment fit runs on. While the population fits, the sample is every row in
 * the order offered.
 */
public final class ClusterSample {
  private final Reservoir reservoir;
  private final List<double[]> rows = new ArrayList<>();

  /**
   * @param capacity most rows kept
   * @param seed seed of the sampling draws
   */
  public ClusterSample(int capacity, long seed) {
    this.reservoir = new Reservoir(capacity, seed);
  }

  /** Offers one purchaser's feature row. */
  public void add(double[] row) {
    int slot = reservoir.offer();
    if (slot == rows.size()) {
      rows.add(row);
    } else if (slot >= 0) {
      rows.set(slot, row);
    }
  }

  /** The sampled rows: every one offered while they fit, in the order offered. */
  public List<double[]> rows() {
    return rows;
  }

  /** Rows offered: the purchasers the sample stands for. */
  public long population() {
    return reservoir.seen();
  }
}
