package io.nextbest.profile.features;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What profile-service keeps per customer to derive features incrementally on every event (stored
 * as JSON beside the customer row): purchase value per day (for BG/NBD's x, t_x, T and the
 * Gamma-Gamma mean), category interest, and an engagement histogram by hour of the week.
 */
public class FeatureState {
  /** Hours in a week: the engagement histogram's length (Monday 00:00 is hour 0). */
  public static final int HOURS_PER_WEEK = 168;

  /** Purchase value per day (epoch day); same-day purchases add up, as in FHL 2005. */
  public TreeMap<Long, Double> purchaseDays = new TreeMap<>();

  /** Interest per product category: views count 1, cart adds 2, purchases 3 per item. */
  public Map<String, Double> categories = new HashMap<>();

  /** Engagement events per hour of the week, in the customer's time zone when known. */
  public int[] hourOfWeek = new int[HOURS_PER_WEEK];

  /** Latest engagement of any kind. */
  public Instant lastEngagementAt;

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
    int x = purchaseDays.size() - 1;
    double tx = (purchaseDays.lastKey() - first) / 7.0;
    double age = Math.max(tx, (todayEpochDay - first) / 7.0);
    double total = purchaseDays.values().stream().mapToDouble(Double::doubleValue).sum();
    double mean = x > 0 ? (total - purchaseDays.firstEntry().getValue()) / x : 0;
    return new RepeatSummary(x, tx, age, mean);
  }

  /** Adds another state into this one (identity merge). */
  public void absorb(FeatureState other) {
    other.purchaseDays.forEach((day, value) -> purchaseDays.merge(day, value, Double::sum));
    other.categories.forEach((c, w) -> categories.merge(c, w, Double::sum));
    for (int h = 0; h < HOURS_PER_WEEK && h < other.hourOfWeek.length; h++) {
      hourOfWeek[h] += other.hourOfWeek[h];
    }
    if (other.lastEngagementAt != null
        && (lastEngagementAt == null || other.lastEngagementAt.isAfter(lastEngagementAt))) {
      lastEngagementAt = other.lastEngagementAt;
    }
  }
}
