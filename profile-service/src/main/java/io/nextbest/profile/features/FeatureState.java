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
