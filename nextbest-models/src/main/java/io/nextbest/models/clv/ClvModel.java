package io.nextbest.models.clv;

import java.time.Instant;

/**
 * The population models behind every customer's predictions, times in weeks.
 *
 * @param version increases with every refit; 0 is the built-in prior
 * @param fittedAt when the parameters were estimated
 * @param customers how many customers the fit stands for (it saw a uniform sample of them when they
 *     were more than {@code nextbest.clv.max-fit-customers})
 * @param bgNbd purchase/dropout model
 * @param gammaGamma spend model
 * @param asOf the moment the data stood at when fitted, declared for a historical load: every
 *     profile's features and predictions are then computed as of it; null for live data (each
 *     profile as of the moment it is derived)
 */
public record ClvModel(
    long version,
    Instant fittedAt,
    long customers,
    BgNbd bgNbd,
    GammaGamma gammaGamma,
    Instant asOf) {

  /** A model of live data: predictions as of the moment each profile is derived. */
  public ClvModel(
      long version, Instant fittedAt, long customers, BgNbd bgNbd, GammaGamma gammaGamma) {
    this(version, fittedAt, customers, bgNbd, gammaGamma, null);
  }

  /** The moment predictions are computed at: the declared one, else {@code now}. */
  public Instant momentAt(Instant now) {
    return asOf == null ? now : asOf;
  }

  /**
   * The prior used until this population has been fitted: the CDNOW estimates of FHL 2005 and
   * Fader-Hardie 2013 (a retail population with weekly purchase rates).
   */
  public static final ClvModel PRIOR =
      new ClvModel(
          0,
          Instant.EPOCH,
          0,
          new BgNbd(0.242594, 4.413571, 0.792918, 2.425887),
          new GammaGamma(6.24962, 3.74422, 15.443354));
}
