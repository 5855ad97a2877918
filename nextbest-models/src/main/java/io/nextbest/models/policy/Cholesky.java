package io.nextbest.models.policy;

/** Inverse of a symmetric positive-definite matrix (row-major) through its Cholesky factor. */
final class Cholesky {
  private Cholesky() {}

  static double[] inverse(double[] m, int d) {
    double[] l = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = m[i * d + j];
        for (int k = 0; k < j; k++) {
          s -= l[i * d + k] * l[j * d + k];
        }
        if (i == j) {
          if (s <= 0) {
            throw new IllegalArgumentException("matrix is not positive definite");
          }
          l[i * d + i] = Math.sqrt(s);
        } else {
          l[i * d + j] = s / l[j * d + j];
        }
      }
    }
    // inv(L) by forward substitution, then inv(M) = inv(L)ᵀ inv(L).
    double[] li = new double[d * d];
    for (int c = 0; c < d; c++) {
      for (int i = c; i < d; i++) {
        double s = i == c ? 1 : 0;
        for (int k = c; k < i; k++) {
          s -= l[i * d + k] * li[k * d + c];
        }
        li[i * d + c] = s / l[i * d + i];
      }
    }
    double[] inv = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0;
        for (int k = i; k < d; k++) {
          s += li[k * d + i] * li[k * d + j];
        }
        inv[i * d + j] = s;
        inv[j * d + i] = s;
      }
    }
    return inv;
  }
}
