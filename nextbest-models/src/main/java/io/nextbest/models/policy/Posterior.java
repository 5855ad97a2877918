package io.nextbest.models.policy;

/**
 * Posterior of a Bayesian linear model {@code r = θ·x + ε}, {@code ε ~ N(0, σ²)}, prior {@code θ ~
 * N(μ₀, σ²/λ I)}: mean {@code θ̂ = (λI + A)⁻¹ (b + λμ₀)}, covariance {@code σ² (λI + A)⁻¹}, with σ²
 * estimated from the residuals (floored so a fresh arm still explores). Predictions at a context
 * are normal: {@code N(θ̂·x, σ² xᵀ(λI + A)⁻¹x)}.
 */
public final class Posterior {
  /** Noise variance assumed before enough data: rewards of order one. */
  static final double PRIOR_NOISE = 0.25;

  private final int d;
  private final double[] mean;
  private final double[] inverse;
  private final double sigma2;
  private final long n;

  private Posterior(int d, double[] mean, double[] inverse, double sigma2, long n) {
    this.d = d;
    this.mean = mean;
    this.inverse = inverse;
    this.sigma2 = sigma2;
    this.n = n;
  }

  static Posterior fit(
      int d, double[] a, double[] b, long n, double sumR2, double lambda, double[] priorMean) {
    double[] lambdas = new double[d];
    java.util.Arrays.fill(lambdas, lambda);
    return fit(d, a, b, n, sumR2, lambdas, priorMean);
  }

  /** The posterior under a prior with a precision per feature ({@code λ_i}). */
  static Posterior fit(
      int d, double[] a, double[] b, long n, double sumR2, double[] lambdas, double[] priorMean) {
    double[] p = a.clone();
    for (int i = 0; i < d; i++) {
      p[i * d + i] += lambdas[i];
    }
    double[] inv = Cholesky.inverse(p, d);
    double[] theta = new double[d];
    for (int i = 0; i < d; i++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        s += inv[i * d + j] * (b[j] + (priorMean == null ? 0 : lambdas[j] * priorMean[j]));
      }
      theta[i] = s;
    }
    // Residual sum of squares at θ̂: Σr² − 2θ̂·b + θ̂ᵀAθ̂.
    double cross = 0;
    double quad = 0;
    for (int i = 0; i < d; i++) {
      cross += theta[i] * b[i];
      double s = 0;
      for (int j = 0; j < d; j++) {
        s += a[i * d + j] * theta[j];
      }
      quad += theta[i] * s;
    }
    double rss = Math.max(0, sumR2 - 2 * cross + quad);
    double sigma2 =
        n > d + 1 ? Math.max(rss / (n - d), 1e-6) : Math.max(PRIOR_NOISE, rss / Math.max(1, n));
    return new Posterior(d, theta, inv, sigma2, n);
  }

  public long count() {
    return n;
  }

  public double[] mean() {
    return mean.clone();
  }

  public double noiseVariance() {
    return sigma2;
  }

  public double predictMean(double[] x) {
    double s = 0;
    for (int i = 0; i < d; i++) {
      s += mean[i] * x[i];
    }
    return Double.isFinite(s) ? s : 0;
  }

  /**
   * Standard deviation of the expected reward at {@code x} (parameter uncertainty only). Context
   * vectors are mostly zeros (one-hot and hashed features), so only their non-zero entries are
   * visited: O(nnz²) instead of O(d²).
   */
  public double predictSd(double[] x) {
    int[] nz = new int[d];
    int k = 0;
    for (int i = 0; i < d; i++) {
      if (x[i] != 0) {
        nz[k++] = i;
      }
    }
    double q = 0;
    for (int a = 0; a < k; a++) {
      int i = nz[a];
      int row = i * d;
      double s = 0;
      for (int b = 0; b < k; b++) {
        s += inverse[row + nz[b]] * x[nz[b]];
      }
      q += x[i] * s;
    }
    double sd = Math.sqrt(Math.max(0, sigma2 * q));
    return Double.isFinite(sd) ? sd : 0;
  }

  public int dimension() {
    return d;
  }
}
