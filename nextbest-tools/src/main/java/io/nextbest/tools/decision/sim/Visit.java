package io.nextbest.tools.decision.sim;

import java.time.Instant;
import java.util.List;

/**
 * A customer's visit on a simulated day: the events it produces and the decision moment at its end.
 * Visits depend only on the random streams, never on a policy.
 *
 * @param customer customer index
 * @param day simulated day
 * @param decisionAt when the decision is asked (the decision API's {@code at})
 * @param device device of the visit, mobile or desktop
 * @param page page the customer is on when the decision is asked
 * @param views the page views, in time order
 * @param cartAdd the product added to the cart, or null
 * @param siteCodeAt when a site discount code was applied to the cart, or null
 */
public record Visit(
    int customer,
    int day,
    Instant decisionAt,
    String device,
    String page,
    List<PageView> views,
    PageView cartAdd,
    Instant siteCodeAt) {

  /**
   * A viewed (or carted) product.
   *
   * @param at when
   * @param category its category
   * @param sku its sku
   * @param price its price
   */
  public record PageView(Instant at, String category, String sku, double price) {}

  /** Hour of day (UTC, the customers' time zone) of the decision moment. */
  public int hourOfDay() {
    return (int) ((decisionAt.getEpochSecond() % 86_400) / 3600);
  }

  /** Value of the cart at the decision moment. */
  public double cartValue() {
    return cartAdd == null ? 0 : cartAdd.price();
  }
}
