package io.nextbest.models.clv;

/**
 * One customer's predictions from the population models.
 *
 * @param probabilityAlive P(alive) now (BG/NBD)
 * @param churnRisk 1 - P(alive)
 * @param expectedPurchases30d expected purchases in the next 30 days
 * @param expectedPurchases90d expected purchases in the next 90 days
 * @param purchaseProbability30d probability of at least one purchase in the next 30 days
 * @param expectedOrderValue expected value per future purchase (Gamma-Gamma)
 * @param clv12m discounted expected value of the next 12 months' purchases
 * @param modelVersion the population model version used
 */
public record CustomerPredictions(
    double probabilityAlive,
    double churnRisk,
    double expectedPurchases30d,
    double expectedPurchases90d,
    double purchaseProbability30d,
    double expectedOrderValue,
    double clv12m,
    long modelVersion) {

  static final double DAYS_PER_WEEK = 7.0;
  static final double WEEKS_PER_MONTH = 52.0 / 12;

  /** Annual discount rate of the CLV (10%), applied monthly. */
  public static final double ANNUAL_DISCOUNT = 0.10;

  /**
   * Predictions for a customer with x repeat purchase days, the last {@code txWeeks} after the
   * first, {@code ageWeeks} since the first, and mean repeat purchase value {@code meanValue}.
   */
  public static CustomerPredictions of(
      ClvModel model, int x, double txWeeks, double ageWeeks, double meanValue) {
    BgNbd bg = model.bgNbd();
    double alive = bg.probabilityActive(x, txWeeks, ageWeeks);
    // BG/NBD's own expectations hold a one-time buyer alive (P = 1): weigh them by the P(alive)
    // that lets the time since that purchase count, so value and activity agree
    double weight = x == 0 ? alive : 1;
    double e30 = weight * bg.conditionalExpectedPurchases(30 / DAYS_PER_WEEK, x, txWeeks, ageWeeks);
    double e90 = weight * bg.conditionalExpectedPurchases(90 / DAYS_PER_WEEK, x, txWeeks, ageWeeks);
    double p30 = weight * bg.probabilityOfPurchase(30 / DAYS_PER_WEEK, x, txWeeks, ageWeeks);
    double spend = model.gammaGamma().conditionalExpectedValue(x, x > 0 ? meanValue : 0);
    if (!Double.isFinite(spend)) {
      spend = x > 0 ? meanValue : 0;
    }
    double monthly = Math.pow(1 + ANNUAL_DISCOUNT, 1.0 / 12) - 1;
    double clv = 0;
    double before = 0;
    for (int m = 1; m <= 12; m++) {
      double upTo = bg.conditionalExpectedPurchases(m * WEEKS_PER_MONTH, x, txWeeks, ageWeeks);
      clv += weight * (upTo - before) * spend / Math.pow(1 + monthly, m);
      before = upTo;
    }
    return new CustomerPredictions(alive, 1 - alive, e30, e90, p30, spend, clv, model.version());
  }
}
