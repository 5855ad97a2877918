package io.nextbest.profile.features;

import io.nextbest.models.clv.BgNbd;
import io.nextbest.models.clv.ClvModel;
import io.nextbest.models.clv.CustomerPredictions;
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

  /** How many categories the share maps publish. */
  static final int TOP_SHARES = 5;

  private FeatureCalculator() {}

  /** The running counts kept on the customer row. */
  public record Counts(
      long eventCount,
      long purchaseCount,
      double monetary,
      Instant firstEventAt,
      Instant lastEventAt) {}

  /**
   * Features and predictions, as published in the profile snapshot. Besides values as of the
   * snapshot (recency, days since engagement), the features carry the raw instants behind them
   * ({@code firstEventAt}, {@code lastEventAt}, {@code lastEngagementAt}, {@code firstPurchaseAt},
   * {@code lastPurchaseAt}) and the predictions the BG/NBD parameters ({@code bgNbd}), so a reader
   * can recompute time-relative features as of another moment.
   */
  public record Derived(Map<String, Object> features, Map<String, Object> predictions) {}

  /**
   * Features and predictions as of {@code now}, the one moment every time-relative value (recency,
   * tenure, days since engagement, the BG/NBD age T) is measured at; published as {@code
   * predictions.asOf}.
   */
  public static Derived derive(
      Counts counts, FeatureState s, Map<String, Object> attributes, ClvModel model, Instant now) {
    ZoneId zone = zoneOf(attributes);
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("eventCount", counts.eventCount());
    f.put("purchaseCount", counts.purchaseCount());
    // net of returns and refunds; a customer who gave back more than this history holds (an order
    // from before it) is worth 0, not less
    double net = Math.max(0, counts.monetary());
    f.put("monetary", round2(net));
    f.put(
        "averageOrderValue",
        counts.purchaseCount() > 0 ? round2(net / counts.purchaseCount()) : 0.0);
    f.put("returnCount", s.returns);
    f.put("returnedValue", round2(s.returnedValue));
    f.put("firstEventAt", counts.firstEventAt());
    f.put("lastEventAt", counts.lastEventAt());

    long purchaseDays = s.purchaseDayCount();
    int x = (int) Math.min(Integer.MAX_VALUE, Math.max(0, purchaseDays - 1));
    f.put("frequency", x);
    if (purchaseDays > 0) {
      LocalDate first = LocalDate.ofEpochDay(s.purchaseDays.firstKey());
      LocalDate last = LocalDate.ofEpochDay(s.purchaseDays.lastKey());
      f.put("firstPurchaseDate", first.toString());
      f.put("lastPurchaseDate", last.toString());
      f.put("recencyDays", Math.max(0, ChronoUnit.DAYS.between(last, today)));
      f.put("tenureDays", Math.max(0, ChronoUnit.DAYS.between(first, today)));
    } else {
      f.put("recencyDays", null);
      f.put("tenureDays", null);
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

    // raw instants: "days since" as of any moment, e.g. a decision replayed in a simulation
    f.put("lastEngagementAt", s.lastEngagementAt);
    f.put("firstPurchaseAt", firstPurchaseAt(s));
    f.put("lastPurchaseAt", lastPurchaseAt(s));
    f.put("categoryViewShares", shares(s.categoryViews, s.categoryViewTotal));
    f.put("categoryPurchaseShares", shares(s.categoryPurchases, s.categoryPurchaseTotal));
    long purchases = counts.purchaseCount();
    f.put("discountOrderShare", round4(clip01((double) s.discountOrders / Math.max(1, purchases))));
    f.put("discountEventCount", s.discountEvents);
    f.put(
        "priceSensitivity",
        round4(
            clip01(
                (double) (s.discountOrders + s.discountEvents)
                    / Math.max(1, purchases + s.discountEvents))));
    f.put("channelEngagement", channelEngagement(s));
    f.put("reviewCount", s.reviews);
    f.put(
        "reviewSentiment",
        s.reviewTexts == 0 ? null : round4(s.reviewSentimentSum / s.reviewTexts));
    Map<String, Object> p = predictions(s, model, today);
    p.put("asOf", now);
    return new Derived(f, p);
  }

  /**
   * Each of the top {@value #TOP_SHARES} categories by count (ties by name) with its share of all
   * counted events; the shares of the rest are left out, so they may add up to less than 1.
   */
  static Map<String, Double> shares(Map<String, Long> counts, long total) {
    long all = Math.max(total, counts.values().stream().mapToLong(Long::longValue).sum());
    Map<String, Double> out = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(TOP_SHARES)
        .forEach(e -> out.put(e.getKey(), round4((double) e.getValue() / all)));
    return out;
  }

  /** Opens and clicks per channel, every channel present (zeros when none). */
  static Map<String, Map<String, Long>> channelEngagement(FeatureState s) {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (String channel : EventFacts.CHANNELS) {
      Map<String, Long> counts = new LinkedHashMap<>();
      counts.put("opens", s.channelOpens.getOrDefault(channel, 0L));
      counts.put("clicks", s.channelClicks.getOrDefault(channel, 0L));
      out.put(channel, counts);
    }
    return out;
  }

  // a state stored before the instants were kept knows the purchase days only
  private static Instant firstPurchaseAt(FeatureState s) {
    return s.firstPurchaseAt != null || s.purchaseDays.isEmpty()
        ? s.firstPurchaseAt
        : LocalDate.ofEpochDay(s.purchaseDays.firstKey()).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static Instant lastPurchaseAt(FeatureState s) {
    return s.lastPurchaseAt != null || s.purchaseDays.isEmpty()
        ? s.lastPurchaseAt
        : LocalDate.ofEpochDay(s.purchaseDays.lastKey()).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /**
   * The predictions, and under {@code bgNbd} the parameters of the BG/NBD model that produced them
   * (r, α, a, b; time in weeks, purchase days counted as in FHL 2005), so P(alive) can be
   * recomputed as of another moment with FHL 2005's closed form from {@code frequency} (x), the
   * first and last purchase (t_x) and the customer's age in weeks at that moment (T).
   */
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
      p.put("bgNbd", parameters(model.bgNbd()));
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
    p.put("bgNbd", parameters(model.bgNbd()));
    return p;
  }

  /** BG/NBD parameters as published: rates per week (α in weeks). */
  static Map<String, Double> parameters(BgNbd m) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("r", m.r());
    out.put("alpha", m.alpha());
    out.put("a", m.a());
    out.put("b", m.b());
    return out;
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

  private static double clip01(double v) {
    return Math.max(0, Math.min(1, v));
  }

  private static double round4(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
