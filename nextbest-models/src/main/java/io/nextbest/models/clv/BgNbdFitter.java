package io.nextbest.models.clv;

/** Maximum-likelihood fit of the BG/NBD population parameters (FHL 2005 Sec. 5). */
public final class BgNbdFitter {
  private BgNbdFitter() {}

  /** Fitted parameters with their log-likelihood. */
  public record Fit(BgNbd model, double logLikelihood, double customers, int evaluations) {}

  public static Fit fit(RepeatBuyers data) {
    if (data.size() == 0) {
      throw new IllegalArgumentException("cannot fit BG/NBD on no customers");
    }
    double purchases = 0;
    double exposure = 0;
    for (int i = 0; i < data.size(); i++) {
      purchases += data.weight(i) * data.x(i);
      exposure += data.weight(i) * data.T(i);
    }
    // start with a purchase rate near the sample's: E[λ] = r / α = purchases / exposure
    double rate = Math.max(purchases, 1e-3) / Math.max(exposure, 1e-3);
    double[] start = {1, Math.min(1e4, Math.max(1e-3, 1 / rate)), 1, 1};
    var optimum =
        MaximumLikelihood.maximise(
            p -> new BgNbd(p[0], p[1], p[2], p[3]).logLikelihood(data), start);
    double[] p = optimum.params();
    return new Fit(
        new BgNbd(p[0], p[1], p[2], p[3]),
        optimum.logLikelihood(),
        data.customers(),
        optimum.evaluations());
  }
}
