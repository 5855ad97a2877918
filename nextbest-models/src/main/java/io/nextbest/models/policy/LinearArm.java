package io.nextbest.models.policy;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Sufficient statistics of one arm's Bayesian linear reward model: {@code A = Σ x xᵀ}, {@code b = Σ
 * x·r}, the count and {@code Σ r²}. Rewards may arrive after the context (delayed outcomes): the
 * statistics are additive, so adding {@code x xᵀ} when the decision is taken and {@code x·r} for
 * each outcome as it arrives yields exactly the model fitted on the final rewards.
 */
public final class LinearArm {
  private final int d;
  private final double[] a;
  private final double[] b;
  private long n;
  private double sumR2;

  public LinearArm(int dimension) {
    this.d = dimension;
    this.a = new double[dimension * dimension];
    this.b = new double[dimension];
  }

  public int dimension() {
    return d;
  }

  public long count() {
    return n;
  }

  /**
   * Each feature's standard deviation over the contexts this arm was played on, from {@code Σ x
   * xᵀ}: the mean of feature i is its cross term with the constant feature {@code intercept}
   * (always 1). All zeros before two observations.
   */
  public double[] featureSd(int intercept) {
    double[] sd = new double[d];
    if (n < 2 || intercept < 0 || intercept >= d) {
      return sd;
    }
    for (int i = 0; i < d; i++) {
      double mean = a[i * d + intercept] / n;
      sd[i] = Math.sqrt(Math.max(0, a[i * d + i] / n - mean * mean));
    }
    return sd;
  }

  /**
   * The mean reward over the decisions learned: {@code b} at the constant feature {@code intercept}
   * (always 1) over the count; NaN before the first.
   */
  public double meanReward(int intercept) {
    if (n == 0 || intercept < 0 || intercept >= d) {
      return Double.NaN;
    }
    return b[intercept] / n;
  }

  /** Records one context on which this arm was played. */
  public void observe(double[] x) {
    check(x);
    for (int i = 0; i < d; i++) {
      double xi = x[i];
      if (xi == 0) {
        continue;
      }
      int row = i * d;
      for (int j = 0; j < d; j++) {
        a[row + j] += xi * x[j];
      }
    }
    n++;
  }

  /**
   * Adds reward {@code r} observed for a context already passed to {@link #observe}. The squared
   * reward term assumes each decision's rewards are added once; a decision with several outcomes
   * adds their sum through {@code previous}: the reward accumulated for it so far.
   */
  public void reward(double[] x, double r, double previous) {
    check(x);
    for (int i = 0; i < d; i++) {
      b[i] += x[i] * r;
    }
    double total = previous + r;
    sumR2 += total * total - previous * previous;
  }

  /** Context and reward at once (offline training). */
  public void update(double[] x, double r) {
    observe(x);
    reward(x, r, 0);
  }

  /** The posterior under a ridge prior {@code N(0, I/λ)} on the weights. */
  public Posterior posterior(double lambda) {
    return posterior(lambda, null);
  }

  /**
   * The posterior under a ridge prior centred on {@code priorMean} (a campaign arm starts from the
   * "none" arm's weights: no uplift until the data say otherwise).
   */
  public Posterior posterior(double lambda, double[] priorMean) {
    return Posterior.fit(d, a, b, n, sumR2, lambda, priorMean);
  }

  /** The posterior under a prior with a precision per feature, centred on {@code priorMean}. */
  public Posterior posterior(double[] lambdas, double[] priorMean) {
    return Posterior.fit(d, a, b, n, sumR2, lambdas, priorMean);
  }

  /** Binary form for snapshots: d, n, Σr², A, b. */
  public byte[] toBytes() {
    ByteBuffer buf = ByteBuffer.allocate(4 + 8 + 8 + 8 * (a.length + b.length));
    buf.putInt(d).putLong(n).putDouble(sumR2);
    for (double v : a) {
      buf.putDouble(v);
    }
    for (double v : b) {
      buf.putDouble(v);
    }
    return buf.array();
  }

  public static LinearArm fromBytes(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    LinearArm arm = new LinearArm(buf.getInt());
    if (bytes.length != 20 + 8 * (arm.a.length + arm.b.length)) {
      throw new IllegalArgumentException("arm snapshot of " + bytes.length + " bytes is corrupt");
    }
    arm.n = buf.getLong();
    arm.sumR2 = buf.getDouble();
    for (int i = 0; i < arm.a.length; i++) {
      arm.a[i] = buf.getDouble();
    }
    for (int i = 0; i < arm.b.length; i++) {
      arm.b[i] = buf.getDouble();
    }
    return arm;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LinearArm other
        && other.d == d
        && other.n == n
        && Double.compare(other.sumR2, sumR2) == 0
        && Arrays.equals(other.a, a)
        && Arrays.equals(other.b, b);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(b) * 31 + Long.hashCode(n);
  }

  private void check(double[] x) {
    if (x.length != d) {
      throw new IllegalArgumentException("context has " + x.length + " features, arm has " + d);
    }
  }
}
