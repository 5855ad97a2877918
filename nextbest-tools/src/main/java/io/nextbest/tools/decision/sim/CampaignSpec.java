package io.nextbest.tools.decision.sim;

import java.util.List;

/**
 * A simulated campaign: what the decision API sees (channel and attributes) and its true effect,
 * which only the simulator knows.
 *
 * @param id campaign id without the run prefix
 * @param channel email, push, web or sms
 * @param category product category it features, or null
 * @param discountDepth discount in percent, 0 for none; a purchase in the effect window may redeem
 *     it (with probability the customer's price sensitivity), organic purchases included
 * @param tags free tags sent as attributes, e.g. promo, newsletter
 * @param effect the true effect
 */
public record CampaignSpec(
    String id,
    String channel,
    String category,
    int discountDepth,
    List<String> tags,
    Effect effect) {

  /**
   * The true effect of one send: an additive increase of the daily purchase probability on each of
   * the effect days, and the chance that the send makes the customer unsubscribe from its channel.
   * The increase is {@code base + category (match or mismatch) + perDiscountSensitivity ·
   * discountDepth/100 · priceSensitivity + (mobile or desktop by the moment's device) −
   * fatiguePerSend · sends in the last 7 days + the matching segments' deltas}; it may be negative.
   *
   * @param base increase for everyone
   * @param categoryMatch added when the campaign's category is the customer's favourite
   * @param categoryMismatch added when it is not
   * @param perDiscountSensitivity times discount depth (as a fraction) times price sensitivity
   * @param mobile added when the moment's device is mobile
   * @param desktop added when it is desktop
   * @param fatiguePerSend subtracted per send (any campaign) in the 7 days before
   * @param segments added for customers whose trait has the given value
   * @param unsubscribeBase unsubscribe probability of a send to a rested customer
   * @param unsubscribePerSend added to it per send in the 7 days before
   */
  public record Effect(
      double base,
      double categoryMatch,
      double categoryMismatch,
      double perDiscountSensitivity,
      double mobile,
      double desktop,
      double fatiguePerSend,
      List<SegmentEffect> segments,
      double unsubscribeBase,
      double unsubscribePerSend) {}

  /**
   * A segment's own response.
   *
   * @param trait ageBand, region, vip or device (the preferred one)
   * @param value the trait's value, e.g. senior or true
   * @param delta added to the daily purchase probability increase
   */
  public record SegmentEffect(String trait, String value, double delta) {}
}
