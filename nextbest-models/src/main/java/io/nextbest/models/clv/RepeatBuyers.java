package io.nextbest.models.clv;

import java.util.Arrays;

/**
 * The recency/frequency summary the BG/NBD model is fitted on, one row per customer (or per group
 * of customers with identical history, carried by {@code weight}), in columnar arrays so a
 * likelihood pass over a million customers stays in cache.
 *
 * <p>{@code x} is the number of repeat purchases (purchase days after the first), {@code tx} the
 * time of the last purchase and {@code T} the time since the first purchase, both measured from the
 * first purchase in the model's time unit (weeks here).
 */
public final class RepeatBuyers {
  final int[] x;
  final double[] tx;
  final double[] t;
  final double[] weight;
  private final int size;

  RepeatBuyers(int[] x, double[] tx, double[] t, double[] weight, int size) {
    this.x = x;
    this.tx = tx;
    this.t = t;
    this.weight = weight;
    this.size = size;
  }

  /** Number of rows (distinct histories when built with weights). */
  public int size() {
    return size;
  }

  /** Total number of customers (sum of weights). */
  public double customers() {
    double n = 0;
    for (int i = 0; i < size; i++) {
      n += weight[i];
    }
    return n;
  }

  public int x(int i) {
    return x[i];
  }

  public double tx(int i) {
    return tx[i];
  }

  public double T(int i) {
    return t[i];
  }

  public double weight(int i) {
    return weight[i];
  }

  /** Refuses an impossible history, so the fit never sees one. */
  static void check(int repeats, double recency, double age, double w) {
    if (repeats < 0 || recency < 0 || age < recency || w <= 0) {
      throw new IllegalArgumentException(
          "need 0 <= x, 0 <= t_x <= T and a positive weight; got x="
              + repeats
              + " t_x="
              + recency
              + " T="
              + age);
    }
    if (repeats == 0 && recency != 0) {
      throw new IllegalArgumentException("a customer without repeat purchases has t_x = 0");
    }
  }

  /** Collects rows; validates each so the fit never sees an impossible history. */
  public static final class Builder {
    private int[] x = new int[1024];
    private double[] tx = new double[1024];
    private double[] t = new double[1024];
    private double[] weight = new double[1024];
    private int size;

    public Builder add(int repeats, double recency, double age) {
      return add(repeats, recency, age, 1);
    }

    public Builder add(int repeats, double recency, double age, double w) {
      check(repeats, recency, age, w);
      if (size == x.length) {
        int n = size * 2;
        x = Arrays.copyOf(x, n);
        tx = Arrays.copyOf(tx, n);
        t = Arrays.copyOf(t, n);
        weight = Arrays.copyOf(weight, n);
      }
      x[size] = repeats;
      tx[size] = recency;
      t[size] = age;
      weight[size] = w;
      size++;
      return this;
    }

    public RepeatBuyers build() {
      return new RepeatBuyers(x, tx, t, weight, size);
    }
  }
}
