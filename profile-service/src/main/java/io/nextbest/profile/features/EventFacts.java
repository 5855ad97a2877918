package io.nextbest.profile.features;

import io.nextbest.profile.sentiment.ReviewSentiment;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the feature-relevant facts out of an accepted event's typed fields and folds them into a
 * {@link FeatureState}.
 */
public final class EventFacts {
  static final double VIEW_WEIGHT = 1;
  static final double CART_WEIGHT = 2;
  static final double PURCHASE_WEIGHT = 3;

  /** The channels whose opens and clicks are counted. */
  public static final List<String> CHANNELS = List.of("email", "push", "sms", "web", "in-app");

  /** A return of goods on an earlier order (see {@link #carriesAmount}). */
  public static final String RETURN = "return";

  /** A refund of money on an earlier order, goods kept or not. */
  public static final String REFUND = "refund";

  private EventFacts() {}

  /** Whether the type gives money back: a return or a refund, never counted as a purchase. */
  public static boolean isReturn(String type) {
    return RETURN.equals(type) || REFUND.equals(type);
  }

  /** Whether the type carries an amount in a currency: a purchase, a return or a refund. */
  public static boolean carriesAmount(String type) {
    return "purchase".equals(type) || isReturn(type);
  }

  private static long epochDay(Instant at) {
    return at.atZone(java.time.ZoneOffset.UTC).toLocalDate().toEpochDay();
  }

  /**
   * What folding needs beyond the event itself.
   *
   * @param zone places events on the customer's week
   * @param locale the customer's BCP 47 locale (may be null): the language of their reviews
   * @param discountEventTypes event types that count as one discount use each
   */
  public record Context(ZoneId zone, String locale, Set<String> discountEventTypes) {}

  /** Applies one event to the state. */
  public static void apply(
      FeatureState s, String type, Instant at, Map<String, Object> props, Context ctx) {
    var local = at.atZone(ctx.zone());
    int hour = (local.getDayOfWeek().getValue() - 1) * 24 + local.getHour();
    s.hourOfWeek[hour]++;
    if (s.lastEngagementAt == null || at.isAfter(s.lastEngagementAt)) {
      s.lastEngagementAt = at;
    }
    if (ctx.discountEventTypes().contains(type)) {
      s.discountEvents++;
    }
    switch (type) {
      case "purchase" -> purchase(s, at, props);
      case RETURN, REFUND ->
          s.applyReturn(
              props.get("orderId") instanceof String o ? o : null, epochDay(at), amount(props));
      case "add_to_cart" ->
          category(props).ifPresent(c -> FeatureState.weighCategory(s.categories, c, CART_WEIGHT));
      case "view" ->
          category(props)
              .ifPresent(
                  c -> {
                    FeatureState.weighCategory(s.categories, c, VIEW_WEIGHT);
                    FeatureState.countCategory(s.categoryViews, c, 1);
                    s.categoryViewTotal++;
                  });
      case "email_open" -> s.channelOpens.merge("email", 1L, Long::sum);
      case "push_open" -> s.channelOpens.merge("push", 1L, Long::sum);
      case "click" -> s.channelClicks.merge(clickChannel(props), 1L, Long::sum);
      case "review" -> review(s, props, ctx.locale());
      default -> {}
    }
  }

  private static void purchase(FeatureState s, Instant at, Map<String, Object> props) {
    s.backfillPurchaseTimes();
    s.firstPurchaseAt = FeatureState.earliest(s.firstPurchaseAt, at);
    s.lastPurchaseAt = FeatureState.latest(s.lastPurchaseAt, at);
    double amount = amount(props);
    long day = epochDay(at);
    s.addPurchase(day, amount);
    if (props.get("orderId") instanceof String orderId) {
      s.rememberOrder(orderId, day);
    }
    if (props.get("items") instanceof List<?> items) {
      for (Object i : items) {
        if (i instanceof Map<?, ?> item && item.get("category") instanceof String c) {
          double qty = item.get("quantity") instanceof Number n ? n.doubleValue() : 1;
          FeatureState.weighCategory(s.categories, c, PURCHASE_WEIGHT * Math.max(qty, 1));
          if (!c.isBlank()) {
            long units = Math.max(1, Math.round(qty));
            FeatureState.countCategory(s.categoryPurchases, c, units);
            s.categoryPurchaseTotal += units;
          }
        }
      }
    }
    boolean discounted =
        (props.get("discount") instanceof Number d && d.doubleValue() > 0)
            || (props.get("coupon") instanceof String coupon && !coupon.isBlank());
    if (discounted) {
      s.discountOrders++;
    }
  }

  private static void review(FeatureState s, Map<String, Object> props, String locale) {
    s.reviews++;
    if (props.get("text") instanceof String text && !text.isBlank()) {
      s.reviewTexts++;
      s.reviewSentimentSum += ReviewSentiment.shared().score(text, locale);
    }
  }

  /** A click's channel: its own, else web for a placement on a page, else e-mail. */
  static String clickChannel(Map<String, Object> props) {
    if (props.get("channel") instanceof String c && CHANNELS.contains(c)) {
      return c;
    }
    return props.get("placement") instanceof String p && !p.isBlank() ? "web" : "email";
  }

  /** The purchase amount of an event's fields (0 when absent). */
  public static double amount(Map<String, Object> props) {
    return props.get("amount") instanceof Number n ? n.doubleValue() : 0;
  }

  /** The purchase amount as a decimal, for exact running sums. */
  public static BigDecimal decimalAmount(Map<String, Object> props) {
    return props.get("amount") instanceof Number n ? new BigDecimal(n.toString()) : BigDecimal.ZERO;
  }

  private static Optional<String> category(Map<String, Object> props) {
    return props.get("category") instanceof String c && !c.isBlank()
        ? Optional.of(c)
        : Optional.empty();
  }
}
