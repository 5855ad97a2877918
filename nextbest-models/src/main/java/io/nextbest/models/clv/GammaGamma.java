package io.nextbest.models.clv;

import static java.lang.Math.log;

import org.hipparchus.special.Gamma;

/**
 * The Gamma-Gamma model of spend per transaction (Fader, Hardie &amp; Lee 2005 JMR; Fader &amp;
 * Hardie 2013, "The Gamma-Gamma Model of Monetary Value"). A customer's transaction values are
 * Gamma(p, ν) with ν ~ Gamma(q, γ) across customers; fitted on customers with repeat purchases,
 * using the number x and mean value z̄ of their repeat transactions.
 *
 * @param p shape of transaction values
 * @param q shape of the population's ν
 * @param gamma scale of the population's ν
 */
public record GammaGamma(double p, double q, double gamma) {

  public GammaGamma {
    if (!(p > 0 && q > 0 && gamma > 0)) {
      throw new IllegalArgumentException("Gamma-Gamma parameters must be positive");
    }
  }

  /** Log-likelihood: the sum over customers of ln f(z̄ | p, q, γ; x), Fader-Hardie 2013 eq. 3. */
  public double logLikelihood(int[] x, double[] meanValue) {
    int maxX = 0;
    for (int xi : x) {
      maxX = Math.max(maxX, xi);
    }
    // the Gamma-function terms depend on x only: once per distinct x
    double[] byX = new double[maxX + 1];
    boolean[] seen = new boolean[maxX + 1];
    double constant = q * log(gamma) - Gamma.logGamma(q);
    for (int xi : x) {
      if (!seen[xi]) {
        seen[xi] = true;
        double px = p * xi;
        byX[xi] = Gamma.logGamma(px + q) - Gamma.logGamma(px) + constant + px * log(xi);
      }
    }
    int n = x.length;
    int chunks = n < 50_000 ? 1 : Runtime.getRuntime().availableProcessors() * 4;
    int per = (n + chunks - 1) / chunks;
    return java.util.stream.IntStream.range(0, chunks)
        .parallel()
        .mapToDouble(
            c -> {
              double sum = 0;
              int end = Math.min(n, (c + 1) * per);
              for (int i = c * per; i < end; i++) {
                double px = p * x[i];
                double z = meanValue[i];
                sum += byX[x[i]] + (px - 1) * log(z) - (px + q) * log(gamma + x[i] * z);
              }
              return sum;
            })
        .sum();
  }

  /**
   * Expected value of this customer's transactions, Fader-Hardie 2013 eq. 5: a weighted mean of the
   * population mean pγ/(q-1) and the customer's own mean z̄ (for x = 0, the population mean).
   */
  public double conditionalExpectedValue(int x, double meanValue) {
    double px = p * x;
    return (p * (gamma + x * meanValue)) / (px + q - 1);
  }

  /** Population mean transaction value pγ/(q-1); infinite when q &le; 1. */
  public double populationMean() {
    return q > 1 ? p * gamma / (q - 1) : Double.POSITIVE_INFINITY;
  }

  /** Fitted parameters with their log-likelihood. */
  public record Fit(GammaGamma model, double logLikelihood, int customers, int evaluations) {}

  /** Maximum-likelihood fit over customers with x &gt; 0 and a positive mean value. */
  public static Fit fit(int[] x, double[] meanValue) {
    if (x.length != meanValue.length || x.length == 0) {
      throw new IllegalArgumentException("need one mean value per repeat buyer, at least one");
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i] <= 0 || !(meanValue[i] > 0)) {
        throw new IllegalArgumentException("Gamma-Gamma needs x > 0 and a positive mean value");
      }
    }
    double mean = 0;
    for (double z : meanValue) {
      mean += z;
    }
    mean /= meanValue.length;
    var optimum =
        MaximumLikelihood.maximise(
            v -> new GammaGamma(v[0], v[1], v[2]).logLikelihood(x, meanValue),
            new double[] {1, 2, Math.max(mean, 1e-3)});
    double[] v = optimum.params();
    return new Fit(
        new GammaGamma(v[0], v[1], v[2]), optimum.logLikelihood(), x.length, optimum.evaluations());
  }
}
