package io.nextbest.tools.decision.sim;

/**
 * The true effect of a campaign on a customer at a moment (see {@link CampaignSpec.Effect}): known
 * to the simulator, to be learned by the services.
 */
public final class TrueEffects {
  /** Contact pressure is counted over this many days before a send. */
  public static final int FATIGUE_DAYS = 7;

  private TrueEffects() {}

  /**
   * Increase of the daily purchase probability on each effect day.
   *
   * @param device the moment's device
   * @param recentSends sends to the customer in the {@value #FATIGUE_DAYS} days before
   */
  public static double lift(CampaignSpec c, Customer customer, String device, int recentSends) {
    CampaignSpec.Effect e = c.effect();
    double lift = e.base();
    if (c.category() != null) {
      lift += c.category().equals(customer.favourite()) ? e.categoryMatch() : e.categoryMismatch();
    }
    lift += e.perDiscountSensitivity() * c.discountDepth() / 100.0 * customer.priceSensitivity();
    lift += "mobile".equals(device) ? e.mobile() : e.desktop();
    lift -= e.fatiguePerSend() * recentSends;
    if (e.segments() != null) {
      for (CampaignSpec.SegmentEffect s : e.segments()) {
        if (s.value() != null && s.value().equals(customer.trait(s.trait()))) {
          lift += s.delta();
        }
      }
    }
    return lift;
  }

  /** Probability that a send makes the customer unsubscribe from the campaign's channel. */
  public static double unsubscribeProbability(CampaignSpec c, int recentSends) {
    CampaignSpec.Effect e = c.effect();
    return Math.max(0, Math.min(1, e.unsubscribeBase() + e.unsubscribePerSend() * recentSends));
  }
}
