package io.nextbest.models.clv;

import static java.lang.Math.exp;
import static java.lang.Math.log;
import static java.lang.Math.log1p;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.hipparchus.special.Gamma;

/**
 * The BG/NBD repeat-purchase model (Fader, Hardie &amp; Lee 2005, "Counting Your Customers the Easy
 * Way", Marketing Science 24(2)). While alive a customer buys at Poisson rate λ ~ Gamma(r, α);
 * after every purchase they drop out with probability p ~ Beta(a, b). profile-service measures time
 * in weeks (purchase days, as in FHL 2005), so λ is purchases per week and α is in weeks; snapshots
 * publish these parameters under {@code predictions.bgNbd}.
 *
 * @param r shape of the purchase-rate distribution
 * @param alpha scale of the purchase-rate distribution, in weeks
 * @param a first shape of the dropout-probability distribution
 * @param b second shape of the dropout-probability distribution
 */
public record BgNbd(double r, double alpha, double a, double b) {

  public BgNbd {
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) {
      throw new IllegalArgumentException("BG/NBD parameters must be positive");
    }
  }

  /**
   * Log-likelihood of the whole sample, FHL 2005 eq. 6 (summed over customers). The terms that
   * depend only on x are computed once per distinct x; the rest is two logarithms per customer.
   */
  public double logLikelihood(RepeatBuyers data) {
    int maxX = 0;
    for (int i = 0; i < data.size(); i++) {
      maxX = Math.max(maxX, data.x[i]);
    }
    // A1 + A2 of eq. 6 per x, and ln(a / (b + x - 1)) for the dropped-out branch.
    double[] byX = new double[maxX + 1];
    double[] dropped = new double[maxX + 1];
    double lgR = Gamma.logGamma(r);
    double lgB = Gamma.logGamma(b);
    double lgAb = Gamma.logGamma(a + b);
    double rLnAlpha = r * log(alpha);
    boolean[] seen = new boolean[maxX + 1];
    for (int i = 0; i < data.size(); i++) {
      seen[data.x[i]] = true;
    }
    for (int x = 0; x <= maxX; x++) {
      if (seen[x]) {
        byX[x] =
            Gamma.logGamma(r + x)
                - lgR
                + rLnAlpha
                + lgAb
                + Gamma.logGamma(b + x)
                - lgB
                - Gamma.logGamma(a + b + x);
        dropped[x] = x > 0 ? log(a) - log(b + x - 1) : Double.NEGATIVE_INFINITY;
      }
    }
    int n = data.size();
    int chunks = n < 50_000 ? 1 : Runtime.getRuntime().availableProcessors() * 4;
    int per = (n + chunks - 1) / chunks;
    return IntStream.range(0, chunks)
        .parallel()
        .mapToDouble(
            c -> {
              double sum = 0;
              int end = Math.min(n, (c + 1) * per);
              for (int i = c * per; i < end; i++) {
                int x = data.x[i];
                double rx = r + x;
                double a3 = -rx * log(alpha + data.t[i]);
                double ll;
                if (x == 0) {
                  ll = a3;
                } else {
                  double a4 = dropped[x] - rx * log(alpha + data.tx[i]);
                  ll = a3 > a4 ? a3 + log1p(exp(a4 - a3)) : a4 + log1p(exp(a3 - a4));
                }
                sum += data.weight[i] * (byX[x] + ll);
              }
              return sum;
            })
        .sum();
  }

  /** Probability that a customer with this history is still alive at T (FHL 2005 eq. 11 note). */
  public double probabilityAlive(int x, double tx, double T) {
    if (x == 0) {
      return 1.0;
    }
    double odds = (a / (b + x - 1)) * exp((r + x) * (log(alpha + T) - log(alpha + tx)));
    return 1.0 / (1.0 + odds);
  }

  /**
   * P(alive) where a one-time buyer can have dropped out too: {@link #probabilityAlive} for repeat
   * buyers, and for x = 0 the MBG/NBD form (Batislam, Denizel &amp; Filiztekin 2007, eq. 14) with
   * these parameters, 1 / (1 + a/b · ((α+T)/α)^r), which falls as the time since the only purchase
   * grows. Plain BG/NBD lets a customer drop out only after a repeat purchase, so every one-time
   * buyer is alive with certainty however long ago they bought, which makes them indistinguishable
   * from active customers in the segments.
   */
  public double probabilityActive(int x, double tx, double T) {
    if (x > 0) {
      return probabilityAlive(x, tx, T);
    }
    double odds = (a / b) * exp(r * (log(alpha + Math.max(0, T)) - log(alpha)));
    return 1.0 / (1.0 + odds);
  }

  /**
   * Expected purchases in (T, T + t] given the history, FHL 2005 eq. 10. Evaluated as P(alive)
   * times E_p[(1 - ((α+T)/(α+T+pt))^(r+x)) / p] with p ~ Beta(a, b + x) — the integral form of the
   * Gauss hypergeometric term, which stays accurate for large x and long horizons.
   */
  public double conditionalExpectedPurchases(double t, int x, double tx, double T) {
    if (t <= 0) {
      return 0;
    }
    double rx = r + x;
    double scale = t / (alpha + T);
    double bx = b + x;
    double lnBeta = Gamma.logGamma(a) + Gamma.logGamma(bx) - Gamma.logGamma(a + bx);
    double expectedIfAlive =
        TanhSinh.integrate01(
            (p, q) -> {
              // (1 - (1 + p*scale)^-(r+x)) / p, exact for tiny p
              double h = -Math.expm1(-rx * log1p(p * scale)) / p;
              return exp((a - 1) * log(p) + (bx - 1) * log(q) - lnBeta) * h;
            });
    return probabilityAlive(x, tx, T) * expectedIfAlive;
  }

  /** Expected purchases of a new customer in (0, t]: the conditional form with no history. */
  public double expectedPurchases(double t) {
    return conditionalExpectedPurchases(t, 0, 0, 0);
  }

  /**
   * Probability of at least one purchase in (T, T + t]: alive (P(alive)) and, with λ ~ Gamma(r + x,
   * α + T) given survival, not silent for t.
   */
  public double probabilityOfPurchase(double t, int x, double tx, double T) {
    double silent = exp(-(r + x) * log1p(t / (alpha + T)));
    return probabilityAlive(x, tx, T) * (1 - silent);
  }

  /** P(X(t) = x) for a new customer, FHL 2005 eq. 8. */
  public double probabilityOfPurchases(int x, double t) {
    double lnBetaAb = lnBeta(a, b);
    double lnP0 = log(alpha / (alpha + t));
    double lnQ = log(t / (alpha + t));
    double first =
        exp(
            lnBeta(a, b + x)
                - lnBetaAb
                + Gamma.logGamma(r + x)
                - Gamma.logGamma(r)
                - Gamma.logGamma(x + 1.0)
                + r * lnP0
                + x * lnQ);
    if (x == 0) {
      return first;
    }
    double partial = 0;
    for (int j = 0; j < x; j++) {
      partial +=
          exp(
              Gamma.logGamma(r + j)
                  - Gamma.logGamma(r)
                  - Gamma.logGamma(j + 1.0)
                  + r * lnP0
                  + j * lnQ);
    }
    return first + exp(lnBeta(a + 1, b + x - 1) - lnBetaAb) * (1 - partial);
  }

  /** The parameters as an array in the order r, α, a, b. */
  public double[] toArray() {
    return new double[] {r, alpha, a, b};
  }

  static double lnBeta(double p, double q) {
    return Gamma.logGamma(p) + Gamma.logGamma(q) - Gamma.logGamma(p + q);
  }

  @Override
  public String toString() {
    return "BgNbd" + Arrays.toString(toArray());
  }
}
