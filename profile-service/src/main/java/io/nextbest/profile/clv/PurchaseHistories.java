package io.nextbest.profile.clv;

import io.nextbest.models.clv.RepeatBuyers;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Purchases per customer and day, split at a calibration end into the summaries the models fit on
 * (x, t_x, T, mean repeat value) and the holdout counts they are checked against. Same-day
 * purchases merge into one transaction, as in FHL 2005 (6,919 CDNOW lines become 6,696).
 */
public final class PurchaseHistories {
  static final double DAYS_PER_WEEK = 7.0;

  private final Map<String, TreeMap<LocalDate, Double>> byCustomer = new HashMap<>();

  /** Records a purchase of the given value (same-day purchases add up). */
  public void add(String customerId, LocalDate day, double value) {
    byCustomer.computeIfAbsent(customerId, k -> new TreeMap<>()).merge(day, value, Double::sum);
  }

  /** The last day with a purchase (the natural end of a holdout period). */
  public LocalDate lastDay() {
    LocalDate last = LocalDate.MIN;
    for (TreeMap<LocalDate, Double> days : byCustomer.values()) {
      if (days.lastKey().isAfter(last)) {
        last = days.lastKey();
      }
    }
    return last;
  }

  public int customers() {
    return byCustomer.size();
  }

  /**
   * The calibration summary and holdout counts: customers whose first purchase is after the
   * calibration end are left out (they were not yet customers).
   *
   * @param calibrationEnd last day of the calibration period (inclusive)
   * @param holdoutEnd last day of the holdout period (inclusive)
   */
  public Split split(LocalDate calibrationEnd, LocalDate holdoutEnd) {
    RepeatBuyers.Builder rfm = new RepeatBuyers.Builder();
    int repeaters = 0;
    int[] xs = new int[byCustomer.size()];
    double[] means = new double[byCustomer.size()];
    long holdoutPurchases = 0;
    int n = 0;
    double[] holdoutByCustomer = new double[byCustomer.size()];
    Summary[] summaries = new Summary[byCustomer.size()];
    for (var e : byCustomer.entrySet()) {
      TreeMap<LocalDate, Double> days = e.getValue();
      LocalDate first = days.firstKey();
      if (first.isAfter(calibrationEnd)) {
        continue;
      }
      int x = 0;
      double repeatValue = 0;
      LocalDate last = first;
      int holdout = 0;
      for (var d : days.entrySet()) {
        LocalDate day = d.getKey();
        if (!day.isAfter(calibrationEnd)) {
          if (!day.equals(first)) {
            x++;
            repeatValue += d.getValue();
            last = day;
          }
        } else if (!day.isAfter(holdoutEnd)) {
          holdout++;
        }
      }
      double tx = ChronoUnit.DAYS.between(first, last) / DAYS_PER_WEEK;
      double age = ChronoUnit.DAYS.between(first, calibrationEnd) / DAYS_PER_WEEK;
      rfm.add(x, tx, age);
      double mean = x > 0 ? repeatValue / x : 0;
      summaries[n] = new Summary(e.getKey(), x, tx, age, mean);
      holdoutByCustomer[n] = holdout;
      holdoutPurchases += holdout;
      n++;
      if (x > 0 && mean > 0) {
        xs[repeaters] = x;
        means[repeaters] = mean;
        repeaters++;
      }
    }
    double holdoutWeeks = ChronoUnit.DAYS.between(calibrationEnd, holdoutEnd) / DAYS_PER_WEEK;
    return new Split(
        rfm.build(),
        java.util.Arrays.copyOf(xs, repeaters),
        java.util.Arrays.copyOf(means, repeaters),
        java.util.Arrays.copyOf(summaries, n),
        java.util.Arrays.copyOf(holdoutByCustomer, n),
        holdoutPurchases,
        holdoutWeeks);
  }

  /** One customer's calibration summary (times in weeks). */
  public record Summary(String customerId, int x, double tx, double T, double meanRepeatValue) {}

  /**
   * What a split produced.
   *
   * @param rfm the BG/NBD input, one row per customer
   * @param repeatCounts x of each repeat buyer (the Gamma-Gamma input)
   * @param repeatMeans mean repeat transaction value of each repeat buyer
   * @param summaries per-customer summaries, in the order of {@code holdoutCounts}
   * @param holdoutCounts purchases of each customer in the holdout period
   * @param holdoutPurchases total purchases in the holdout period
   * @param holdoutWeeks length of the holdout period in weeks
   */
  public record Split(
      RepeatBuyers rfm,
      int[] repeatCounts,
      double[] repeatMeans,
      Summary[] summaries,
      double[] holdoutCounts,
      long holdoutPurchases,
      double holdoutWeeks) {}
}
