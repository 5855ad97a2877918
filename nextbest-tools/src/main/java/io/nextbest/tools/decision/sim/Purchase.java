package io.nextbest.tools.decision.sim;

import java.time.Instant;
import java.util.List;

/**
 * A simulated purchase.
 *
 * @param customer customer index
 * @param day simulated day
 * @param at when
 * @param gross value before any discount (the items' prices add up to it)
 * @param amount value paid: the gross less a redeemed discount
 * @param discountDepth the redeemed discount in percent, 0 for none
 * @param discountCampaign the campaign whose discount was redeemed, or null
 * @param items the order's items
 * @param driven it would not have happened without the campaigns sent (the purchase draw fell
 *     between the organic and the raised probability)
 * @param decisionId the latest decision whose send was in effect, or null
 * @param reportConversion it is also reported as a conversion outcome of that decision
 */
public record Purchase(
    int customer,
    int day,
    Instant at,
    double gross,
    double amount,
    int discountDepth,
    String discountCampaign,
    List<Item> items,
    boolean driven,
    String decisionId,
    boolean reportConversion) {

  /**
   * One line of the order.
   *
   * @param sku product
   * @param category its category
   * @param price unit price
   * @param quantity units
   */
  public record Item(String sku, String category, double price, int quantity) {}
}
