package io.nextbest.models.clv;

/**
 * Double-exponential (tanh-sinh) quadrature on (0, 1) (Takahasi &amp; Mori 1974). It converges
 * quickly even with integrable singularities at the end points, such as the Beta densities with a
 * shape below one that the BG/NBD expectations integrate against.
 */
final class TanhSinh {
  private static final double H = 1.0 / 16;
  private static final int N = 64; // |t| <= 4: beyond that the weights underflow
  private static final double[] P = new double[2 * N + 1];
  private static final double[] Q = new double[2 * N + 1];
  private static final double[] W = new double[2 * N + 1];

  static {
    for (int k = -N; k <= N; k++) {
      double t = k * H;
      double u = Math.PI / 2 * Math.sinh(t);
      int i = k + N;
      // p = (1 + tanh u) / 2 and q = 1 - p, each computed without cancellation
      P[i] = 1 / (1 + Math.exp(-2 * u));
      Q[i] = 1 / (1 + Math.exp(2 * u));
      double cu = Math.cosh(u);
      W[i] = H * (Math.PI / 4) * Math.cosh(t) / (cu * cu);
    }
  }

  private TanhSinh() {}

  /** An integrand given both p and its complement 1 - p (precise near either end). */
  interface Integrand {
    double at(double p, double q);
  }

  static double integrate01(Integrand f) {
    double sum = 0;
    for (int i = 0; i < P.length; i++) {
      if (P[i] > 0 && Q[i] > 0 && W[i] > 0) {
        double v = f.at(P[i], Q[i]);
        if (Double.isFinite(v)) {
          sum += W[i] * v;
        }
      }
    }
    return sum;
  }
}
