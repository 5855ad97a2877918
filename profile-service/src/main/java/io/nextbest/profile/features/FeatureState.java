package io.nextbest.profile.features;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What profile-service keeps per customer to derive features incrementally on every event (stored
 * as JSON beside the customer row): purchase value per day (for BG/NBD's x, t_x, T and the
 * Gamma-Gamma mean), category interest and counts, discount use, channel engagement, review
 * sentiment, and an engagement histogram by hour of the week. Every field has a default, so a state
 * stored before a field existed still loads (the field starts from its default).
 */
public class FeatureState {
  /** Hours in a week: the engagement histogram's length (Monday 00:00 is hour 0). */
  public static final int HOURS_PER_WEEK = 168;

  /**
   * Most purchase days kept one by one: a year of daily purchases. The first day always stays; when
   * more arrive, the oldest of the others is folded into {@link #foldedPurchaseDays} and {@link
   * #foldedPurchaseValue}.
   */
  public static final int MAX_PURCHASE_DAYS = 366;

  /**
   * Purchase value per day (epoch day); same-day purchases add up, as in FHL 2005. Holds the first
   * purchase day and the latest ones, at most {@link #MAX_PURCHASE_DAYS} in all.
   */
  public TreeMap<Long, Double> purchaseDays = new TreeMap<>();

  /**
   * Purchase days folded out of {@link #purchaseDays}: all of them after its first key and before
   * its second, so x, t_x, T and the mean repeat value stay exact. A purchase that arrives for a
   * day in that folded stretch (more than {@link #MAX_PURCHASE_DAYS} purchase days late) adds its
   * value there and counts as a day already seen.
   */
  public long foldedPurchaseDays;

  /** The value of the {@link #foldedPurchaseDays}. */
  public double foldedPurchaseValue;

  /**
   * Interest per product category: views count 1, cart adds 2, purchases 3 per item (bounded to
   * {@link #MAX_CATEGORIES}).
   */
  public Map<String, Double> categories = new HashMap<>();

  /** Engagement events per hour of the week, in the customer's time zone when known. */
  public int[] hourOfWeek = new int[HOURS_PER_WEEK];

  /** Latest engagement of any kind. */
  public Instant lastEngagementAt;

  /** At most this many categories per count map; a new one then replaces the smallest. */
  public static final int MAX_CATEGORIES = 50;

  /** View events per category (bounded to {@link #MAX_CATEGORIES}). */
  public Map<String, Long> categoryViews = new HashMap<>();

  /** All category-bearing views, including those of categories dropped from the bounded map. */
  public long categoryViewTotal;

  /** Purchased quantity per item category (bounded to {@link #MAX_CATEGORIES}). */
  public Map<String, Long> categoryPurchases = new HashMap<>();

  /** All purchased quantity with a category, including that of dropped categories. */
  public long categoryPurchaseTotal;

  /** Earliest and latest purchase event; null before the first (or in a state stored before). */
  public Instant firstPurchaseAt;

  public Instant lastPurchaseAt;

  /**
   * Most orders whose purchase day is remembered, so that a return finds the day its value comes
   * off; the orders of the earliest days are forgotten first.
   */
  public static final int MAX_ORDERS = 400;

  /** Purchase day (epoch day, UTC) of the latest orders by order id (see {@link #MAX_ORDERS}). */
  public Map<String, Long> orderDays = new HashMap<>();

  /** Return and refund events. */
  public long returns;

  /** Value given back by returns and refunds, in the base currency. */
  public double returnedValue;

  /** Purchases with a discount amount above 0 or a coupon. */
  public long discountOrders;

  /** Events of a type configured as a discount use (one use each). */
  public long discountEvents;

  /** Opens per channel (email_open, push_open). */
  public Map<String, Long> channelOpens = new HashMap<>();

  /** Clicks per channel. */
  public Map<String, Long> channelClicks = new HashMap<>();

  /** Review events, with or without text. */
  public long reviews;

  /** Reviews with a text, and the sum of their sentiment scores (each in [-1, 1]). */
  public long reviewTexts;

  public double reviewSentimentSum;

  /**
   * The BG/NBD and Gamma-Gamma inputs as of {@code todayEpochDay}, times in weeks; null before the
   * first purchase.
   *
   * @param x repeat purchase days
   * @param tx weeks from the first to the last purchase
   * @param age weeks from the first purchase to today (never below tx)
   * @param meanRepeatValue mean value of the repeat purchase days (0 without repeats)
   */
  public record RepeatSummary(int x, double tx, double age, double meanRepeatValue) {}

  public RepeatSummary repeatSummary(long todayEpochDay) {
    if (purchaseDays.isEmpty()) {
      return null;
    }
    long first = purchaseDays.firstKey();
    int x = (int) Math.min(Integer.MAX_VALUE, purchaseDayCount() - 1);
    double tx = (purchaseDays.lastKey() - first) / 7.0;
    double age = Math.max(tx, (todayEpochDay - first) / 7.0);
    double total =
        purchaseDays.values().stream().mapToDouble(Double::doubleValue).sum() + foldedPurchaseValue;
    double mean = x > 0 ? (total - purchaseDays.firstEntry().getValue()) / x : 0;
    return new RepeatSummary(x, tx, age, mean);
  }

  /** Days with a purchase, those kept one by one and those folded. */
  public long purchaseDayCount() {
    return purchaseDays.size() + foldedPurchaseDays;
  }

  /** Adds a purchase's value to its day (epoch day, UTC). */
  void addPurchase(long day, double value) {
    if (foldedPurchaseDays > 0 && !purchaseDays.containsKey(day)) {
      long first = purchaseDays.firstKey();
      Long second = purchaseDays.higherKey(first);
      if (day > first && (second == null || day < second)) {
        foldedPurchaseValue += value; // within the folded stretch: a day already counted
        return;
      }
      if (day < first) {
        // the old first day now lies inside the folded stretch, which must start at the first key
        foldedPurchaseDays++;
        foldedPurchaseValue += purchaseDays.remove(first);
      }
    }
    purchaseDays.merge(day, value, Double::sum);
    foldPurchaseDays();
  }

  // the end (exclusive) of the folded stretch: the second kept day; none without folded days
  private long foldedEnd() {
    if (foldedPurchaseDays == 0 || purchaseDays.isEmpty()) {
      return Long.MIN_VALUE;
    }
    Long second = purchaseDays.higherKey(purchaseDays.firstKey());
    return second == null ? Long.MAX_VALUE : second;
  }

  /** Folds the oldest days after the first until at most {@link #MAX_PURCHASE_DAYS} are kept. */
  void foldPurchaseDays() {
    while (purchaseDays.size() > MAX_PURCHASE_DAYS) {
      long second = purchaseDays.higherKey(purchaseDays.firstKey());
      foldedPurchaseDays++;
      foldedPurchaseValue += purchaseDays.remove(second);
    }
  }

  /** Remembers the day of an order, forgetting the orders of the earliest day when full. */
  void rememberOrder(String orderId, long day) {
    if (orderId == null || orderId.isBlank()) {
      return;
    }
    if (!orderDays.containsKey(orderId)) {
      while (orderDays.size() >= MAX_ORDERS) {
        String oldest =
            orderDays.entrySet().stream()
                .min(
                    Map.Entry.<String, Long>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey()))
                .orElseThrow()
                .getKey();
        orderDays.remove(oldest);
      }
    }
    orderDays.put(orderId, day);
  }

  /**
   * Takes a return's value off the day of its order: the day remembered for {@code orderId}, else
   * the latest purchase day on or before the return's. A day's value never goes below 0, and the
   * day stays a purchase day (a return is not a purchase, nor does it undo one's timing). A return
   * with no earlier purchase known only counts as returned value.
   */
  void applyReturn(String orderId, long returnDay, double value) {
    returns++;
    returnedValue += value;
    if (purchaseDays.isEmpty() || !(value > 0)) {
      return;
    }
    Long day = orderId == null ? null : orderDays.get(orderId);
    if (day == null) {
      day = purchaseDays.floorKey(returnDay);
      if (day == null) {
        return;
      }
    }
    Double kept = purchaseDays.get(day);
    if (kept != null) {
      purchaseDays.put(day, Math.max(0, kept - value));
    } else if (foldedPurchaseDays > 0 && day > purchaseDays.firstKey()) {
      foldedPurchaseValue = Math.max(0, foldedPurchaseValue - value);
    }
  }

  /**
   * Adds {@code w} to a category's interest, keeping at most {@link #MAX_CATEGORIES} categories.
   */
  static void weighCategory(Map<String, Double> weights, String category, double w) {
    if (!weights.containsKey(category)) {
      while (weights.size() >= MAX_CATEGORIES) {
        weights.remove(lightest(weights));
      }
    }
    weights.merge(category, w, Double::sum);
  }

  // the smallest interest; among equals the last name, so the order of arrival does not matter
  private static String lightest(Map<String, Double> weights) {
    return weights.entrySet().stream()
        .min(
            Map.Entry.<String, Double>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
        .orElseThrow()
        .getKey();
  }

  /** Adds {@code n} to a category's count, keeping at most {@link #MAX_CATEGORIES} categories. */
  static void countCategory(Map<String, Long> counts, String category, long n) {
    if (!counts.containsKey(category) && counts.size() >= MAX_CATEGORIES) {
      counts.remove(smallest(counts));
    }
    counts.merge(category, n, Long::sum);
  }

  /** Drops the smallest categories until at most {@link #MAX_CATEGORIES} are left. */
  static void trimCategories(Map<String, Long> counts) {
    while (counts.size() > MAX_CATEGORIES) {
      counts.remove(smallest(counts));
    }
  }

  // the smallest count; among equals the last name, so the order of arrival does not matter
  private static String smallest(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .min(
            Map.Entry.<String, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
        .orElseThrow()
        .getKey();
  }

  /**
   * Fills the purchase instants of a state stored before they were kept: the start (UTC) of the
   * first and last purchase day, the best that state knows.
   */
  void backfillPurchaseTimes() {
    if (firstPurchaseAt == null && !purchaseDays.isEmpty()) {
      firstPurchaseAt = dayStart(purchaseDays.firstKey());
    }
    if (lastPurchaseAt == null && !purchaseDays.isEmpty()) {
      lastPurchaseAt = dayStart(purchaseDays.lastKey());
    }
  }

  private static Instant dayStart(long epochDay) {
    return LocalDate.ofEpochDay(epochDay).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** Adds another state into this one (identity merge). */
  public void absorb(FeatureState other) {
    backfillPurchaseTimes();
    other.backfillPurchaseTimes();
    // each side's folded days lie before its second kept day: every kept day between the merged
    // first day and the later of those two is folded as well, so the folded stretch stays one
    // stretch after the first day (a day both sides bought on counts twice if either had folded it)
    long foldedBefore = Math.max(foldedEnd(), other.foldedEnd());
    other.purchaseDays.forEach((day, value) -> purchaseDays.merge(day, value, Double::sum));
    foldedPurchaseDays += other.foldedPurchaseDays;
    foldedPurchaseValue += other.foldedPurchaseValue;
    if (!purchaseDays.isEmpty()) {
      long first = purchaseDays.firstKey();
      for (Long day = purchaseDays.higherKey(first);
          day != null && day < foldedBefore;
          day = purchaseDays.higherKey(first)) {
        foldedPurchaseDays++;
        foldedPurchaseValue += purchaseDays.remove(day);
      }
    }
    foldPurchaseDays();
    other.categories.forEach((c, w) -> categories.merge(c, w, Double::sum));
    while (categories.size() > MAX_CATEGORIES) {
      categories.remove(lightest(categories));
    }
    for (int h = 0; h < HOURS_PER_WEEK && h < other.hourOfWeek.length; h++) {
      hourOfWeek[h] += other.hourOfWeek[h];
    }
    if (other.lastEngagementAt != null
        && (lastEngagementAt == null || other.lastEngagementAt.isAfter(lastEngagementAt))) {
      lastEngagementAt = other.lastEngagementAt;
    }
    other.categoryViews.forEach((c, n) -> categoryViews.merge(c, n, Long::sum));
    trimCategories(categoryViews);
    categoryViewTotal += other.categoryViewTotal;
    other.categoryPurchases.forEach((c, n) -> categoryPurchases.merge(c, n, Long::sum));
    trimCategories(categoryPurchases);
    categoryPurchaseTotal += other.categoryPurchaseTotal;
    firstPurchaseAt = earliest(firstPurchaseAt, other.firstPurchaseAt);
    lastPurchaseAt = latest(lastPurchaseAt, other.lastPurchaseAt);
    other.orderDays.forEach(this::rememberOrder);
    returns += other.returns;
    returnedValue += other.returnedValue;
    discountOrders += other.discountOrders;
    discountEvents += other.discountEvents;
    other.channelOpens.forEach((c, n) -> channelOpens.merge(c, n, Long::sum));
    other.channelClicks.forEach((c, n) -> channelClicks.merge(c, n, Long::sum));
    reviews += other.reviews;
    reviewTexts += other.reviewTexts;
    reviewSentimentSum += other.reviewSentimentSum;
  }

  static Instant earliest(Instant a, Instant b) {
    return a == null || (b != null && b.isBefore(a)) ? b : a;
  }

  static Instant latest(Instant a, Instant b) {
    return a == null || (b != null && b.isAfter(a)) ? b : a;
  }
}
