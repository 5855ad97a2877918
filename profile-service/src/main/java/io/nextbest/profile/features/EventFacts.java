package io.nextbest.profile.features;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Reads the feature-relevant facts out of an accepted event's typed fields and folds them into a
 * {@link FeatureState}.
 */
public final class EventFacts {
  static final double VIEW_WEIGHT = 1;
  static final double CART_WEIGHT = 2;
  static final double PURCHASE_WEIGHT = 3;

  private EventFacts() {}

  /** Applies one event to the state; {@code zone} places it on the customer's week. */
  public static void apply(
      FeatureState s, String type, Instant at, Map<String, Object> props, ZoneId zone) {
    var local = at.atZone(zone);
    int hour = (local.getDayOfWeek().getValue() - 1) * 24 + local.getHour();
    s.hourOfWeek[hour]++;
    if (s.lastEngagementAt == null || at.isAfter(s.lastEngagementAt)) {
      s.lastEngagementAt = at;
    }
    switch (type) {
      case "purchase" -> {
        double amount = amount(props);
        s.purchaseDays.merge(
            at.atZone(java.time.ZoneOffset.UTC).toLocalDate().toEpochDay(), amount, Double::sum);
        if (props.get("items") instanceof List<?> items) {
          for (Object i : items) {
            if (i instanceof Map<?, ?> item && item.get("category") instanceof String c) {
              double qty = item.get("quantity") instanceof Number n ? n.doubleValue() : 1;
              s.categories.merge(c, PURCHASE_WEIGHT * Math.max(qty, 1), Double::sum);
            }
          }
        }
      }
      case "add_to_cart" ->
          category(props).ifPresent(c -> s.categories.merge(c, CART_WEIGHT, Double::sum));
      case "view" ->
          category(props).ifPresent(c -> s.categories.merge(c, VIEW_WEIGHT, Double::sum));
      default -> {}
    }
  }

  /** The purchase amount of an event's fields (0 when absent). */
  public static double amount(Map<String, Object> props) {
    return props.get("amount") instanceof Number n ? n.doubleValue() : 0;
  }

  /** The purchase amount as a decimal, for exact running sums. */
  public static BigDecimal decimalAmount(Map<String, Object> props) {
    return props.get("amount") instanceof Number n ? new BigDecimal(n.toString()) : BigDecimal.ZERO;
  }

  private static java.util.Optional<String> category(Map<String, Object> props) {
    return props.get("category") instanceof String c && !c.isBlank()
        ? java.util.Optional.of(c)
        : java.util.Optional.empty();
  }
}
