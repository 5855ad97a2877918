package io.nextbest.models.clv;

import io.nextbest.models.sampling.Reservoir;
import java.util.Arrays;

/**
 * The BG/NBD and Gamma-Gamma inputs of a uniform sample of at most {@code capacity} customers,
 * taken in one pass over a population of any size ({@link Reservoir}). While the population fits,
 * the sample is every customer in arrival order, so the fits are exactly those over all of them.
 * Columnar, 36 bytes a customer: x, t_x, T, weight and the mean repeat value.
 */
public final class RepeatSample {
  private final Reservoir reservoir;
  private int[] x = new int[0];
  private double[] tx = new double[0];
  private double[] t = new double[0];
  private double[] mean = new double[0];

  public RepeatSample(int capacity, long seed) {
    this.reservoir = new Reservoir(capacity, seed);
  }

  /**
   * Offers one customer.
   *
   * @param repeats repeat purchase days (x)
   * @param recency time of the last purchase since the first (t_x)
   * @param age time since the first purchase (T)
   * @param meanRepeatValue mean value of the repeat purchase days (0 without repeats)
   */
  public void add(int repeats, double recency, double age, double meanRepeatValue) {
    RepeatBuyers.check(repeats, recency, age, 1);
    int slot = reservoir.offer();
    if (slot < 0) {
      return;
    }
    if (slot == x.length) {
      grow();
    }
    x[slot] = repeats;
    tx[slot] = recency;
    t[slot] = age;
    mean[slot] = meanRepeatValue;
  }

  // doubling up to the capacity: a small population never allocates the whole sample
  private void grow() {
    int n = (int) Math.min(reservoir.capacity(), Math.max(1024L, 2L * x.length));
    x = Arrays.copyOf(x, n);
    tx = Arrays.copyOf(tx, n);
    t = Arrays.copyOf(t, n);
    mean = Arrays.copyOf(mean, n);
  }

  /** Customers offered: the population the sample stands for. */
  public long customers() {
    return reservoir.seen();
  }

  /** Customers in the sample. */
  public int size() {
    return reservoir.size();
  }

  /** The sample for the BG/NBD fit, one row of weight 1 per customer. */
  public RepeatBuyers repeatBuyers() {
    double[] weight = new double[size()];
    Arrays.fill(weight, 1);
    return new RepeatBuyers(x, tx, t, weight, size());
  }

  /** Repeat buyers of the sample with a positive mean repeat value: the Gamma-Gamma fit's input. */
  public int repeatBuyersWithValue() {
    int n = 0;
    for (int i = 0; i < size(); i++) {
      if (x[i] > 0 && mean[i] > 0) {
        n++;
      }
    }
    return n;
  }

  /** x of each of the {@link #repeatBuyersWithValue()}, in sample order. */
  public int[] repeatCounts() {
    int[] out = new int[repeatBuyersWithValue()];
    for (int i = 0, j = 0; i < size(); i++) {
      if (x[i] > 0 && mean[i] > 0) {
        out[j++] = x[i];
      }
    }
    return out;
  }

  /** The mean repeat value of each of the {@link #repeatBuyersWithValue()}, in sample order. */
  public double[] repeatMeans() {
    double[] out = new double[repeatBuyersWithValue()];
    for (int i = 0, j = 0; i < size(); i++) {
      if (x[i] > 0 && mean[i] > 0) {
        out[j++] = mean[i];
      }
    }
    return out;
  }
}
