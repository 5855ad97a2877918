package io.nextbest.tools.decision.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A synthetic customer. The traits are what a CRM would know and are sent to profile-service; the
 * favourite category, price sensitivity and rates are the hidden truth the services must learn from
 * behaviour.
 *
 * @param index position in the population, the key of its random streams
 * @param id customer id (with the run prefix)
 * @param ageBand young, mid or senior
 * @param region north or south
 * @param vip VIP status
 * @param favourite favourite category
 * @param priceSensitivity in [0,1]: how much discounts move the customer, and the chance a purchase
 *     redeems a discount the customer holds
 * @param device preferred device, mobile or desktop
 * @param baseRate daily probability of an organic purchase
 * @param orderMu log of the median order value
 * @param orderSigma lognormal sigma of the order value
 * @param preferredHour hour of day (UTC) around which the customer visits
 */
public record Customer(
    int index,
    String id,
    String ageBand,
    String region,
    boolean vip,
    String favourite,
    double priceSensitivity,
    String device,
    double baseRate,
    double orderMu,
    double orderSigma,
    int preferredHour) {

  /** The expected value of one order (mean of the lognormal). */
  public double meanOrderValue() {
    return Math.exp(orderMu + orderSigma * orderSigma / 2);
  }

  /** A trait by name, as text; null for an unknown one. */
  public String trait(String name) {
    return switch (name) {
      case "ageBand" -> ageBand;
      case "region" -> region;
      case "vip" -> Boolean.toString(vip);
      case "device" -> device;
      case "favourite" -> favourite;
      default -> null;
    };
  }

  /** The traits a CRM knows, sent as the profile's {@code traits}. */
  public Map<String, Object> crmTraits() {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("ageBand", ageBand);
    t.put("region", region);
    t.put("vip", vip);
    return t;
  }
}
