package io.nextbest.profile.features;

import io.nextbest.profile.clv.ClvModel;
import io.nextbest.profile.clv.CustomerPredictions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives a customer's features and predictions from their running aggregates and {@link
 * FeatureState}; pure and cheap, so it runs on every profile change rather than in a batch job.
 */
public final class FeatureCalculator {
  static final int TOP_CATEGORIES = 3;

  private FeatureCalculator() {}

  /** The running counts kept on the customer row. */
  public record Counts(
      long eventCount,
      long purchaseCount,
      double monetary,
      Instant firstEventAt,
      Instant lastEventAt) {}

  /** Features and predictions, as published in the profile snapshot. */
  public record Derived(Map<String, Object> features, Map<String, Object> predictions) {}

  public static Derived derive(
      Counts counts, FeatureState s, Map<String, Object> attributes, ClvModel model, Instant now) {
    ZoneId zone = zoneOf(attributes);
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("eventCount", counts.eventCount());
    f.put("purchaseCount", counts.purchaseCount());
    f.put("monetary", round2(counts.monetary()));
    f.put(
        "averageOrderValue",
        counts.purchaseCount() > 0 ? round2(counts.monetary() / counts.purchaseCount()) : 0.0);
    f.put("firstEventAt", counts.firstEventAt());
    f.put("lastEventAt", counts.lastEventAt());

    int purchaseDays = s.purchaseDays.size();
    int x = Math.max(0, purchaseDays - 1);
    f.put("frequency", x);
    if (purchaseDays > 0) {
      LocalDate first = LocalDate.ofEpochDay(s.purchaseDays.firstKey());
      LocalDate last = LocalDate.ofEpochDay(s.purchaseDays.lastKey());
      f.put("firstPurchaseDate", first.toString());
      f.put("lastPurchaseDate", last.toString());
      f.put("recencyDays", Math.max(0, ChronoUnit.DAYS.between(last, today)));
    } else {
      f.put("recencyDays", null);
    }
    f.put(
        "daysSinceLastEngagement",
        s.lastEngagementAt == null
            ? null
            : Math.max(0, ChronoUnit.DAYS.between(s.lastEngagementAt, now)));
    f.put("topCategories", topCategories(s.categories));
    f.put("engagementByHourOfWeek", s.hourOfWeek.clone());
    f.put("bestHourOfWeek", bestHour(s.hourOfWeek));
    f.put("daysToBirthday", daysToBirthday(attributes, now.atZone(zone).toLocalDate()));
    return new Derived(f, predictions(s, model, today));
  }

  static Map<String, Object> predictions(FeatureState s, ClvModel model, LocalDate today) {
    Map<String, Object> p = new LinkedHashMap<>();
    if (s.purchaseDays.isEmpty()) {
      // BG/NBD describes customers from their first purchase on; a prospect has no history yet
      p.put("basis", "prospect");
      p.put("probabilityAlive", null);
      p.put("churnRisk", null);
      p.put("expectedPurchases30d", 0.0);
      p.put("expectedPurchases90d", 0.0);
      p.put("purchaseProbability30d", 0.0);
      p.put("expectedOrderValue", round2(model.gammaGamma().populationMean()));
      p.put("clv12m", 0.0);
      p.put("modelVersion", model.version());
      return p;
    }
    FeatureState.RepeatSummary r = s.repeatSummary(today.toEpochDay());
    CustomerPredictions c =
        CustomerPredictions.of(model, r.x(), r.tx(), r.age(), r.meanRepeatValue());
    p.put("basis", "bg-nbd+gamma-gamma");
    p.put("probabilityAlive", round4(c.probabilityAlive()));
    p.put("churnRisk", round4(c.churnRisk()));
    p.put("expectedPurchases30d", round4(c.expectedPurchases30d()));
    p.put("expectedPurchases90d", round4(c.expectedPurchases90d()));
    p.put("purchaseProbability30d", round4(c.purchaseProbability30d()));
    p.put("expectedOrderValue", round2(c.expectedOrderValue()));
    p.put("clv12m", round2(c.clv12m()));
    p.put("modelVersion", c.modelVersion());
    return p;
  }

  static List<String> topCategories(Map<String, Double> categories) {
    return categories.entrySet().stream()
        .sorted(
            Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(TOP_CATEGORIES)
        .map(Map.Entry::getKey)
        .toList();
  }

  static Integer bestHour(int[] hist) {
    int best = -1;
    for (int h = 0; h < hist.length; h++) {
      if (hist[h] > 0 && (best < 0 || hist[h] > hist[best])) {
        best = h;
      }
    }
    return best < 0 ? null : best;
  }

  static Long daysToBirthday(Map<String, Object> attributes, LocalDate today) {
    if (!(attributes.get("birthdate") instanceof String b)) {
      return null;
    }
    try {
      MonthDay md = MonthDay.from(LocalDate.parse(b));
      LocalDate next = safeAtYear(md, today.getYear());
      if (next.isBefore(today)) {
        next = safeAtYear(md, today.getYear() + 1);
      }
      return ChronoUnit.DAYS.between(today, next);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static LocalDate safeAtYear(MonthDay md, int year) {
    // 29 February falls on 28 February in common years
    return md.isValidYear(year) ? md.atYear(year) : LocalDate.of(year, 2, 28);
  }

  /** The customer's time zone attribute, UTC when absent or unknown. */
  public static ZoneId zoneOf(Map<String, Object> attributes) {
    if (attributes != null && attributes.get("timezone") instanceof String tz) {
      try {
        return ZoneId.of(tz);
      } catch (RuntimeException unknown) {
        return ZoneOffset.UTC;
      }
    }
    return ZoneOffset.UTC;
  }

  private static double round2(double v) {
    return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : 0;
  }

  private static double round4(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
