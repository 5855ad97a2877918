package io.nextbest.decision.policy;

import io.nextbest.events.ProfileSnapshot;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/**
 * The context vector of a customer at a moment, from the profile snapshot: recency, frequency,
 * monetary value, CLV and P(alive), engagement recency, segment, how much of the customer's
 * engagement falls in the current hour of the week (hour affinity) and the birthday week. Scaled so
 * that every feature is of order one. Customers without a profile get the bias alone.
 */
public final class FeatureEncoder {
  /** Logged with every decision, so a change of features never mixes with old statistics. */
  public static final String VERSION = "f1";

  public static final List<String> NAMES =
      List.of(
          "bias",
          "log-recency-days",
          "has-purchased",
          "log-frequency",
          "log-monetary",
          "log-average-order-value",
          "log-clv-12m",
          "p-alive",
          "churn-risk",
          "purchase-probability-30d",
          "log-days-since-engagement",
          "segment:high-value",
          "segment:loyal",
          "segment:at-risk",
          "segment:new-exploring",
          "segment:opportunity",
          "hour-affinity",
          "birthday-week");

  public static final int DIMENSION = NAMES.size();

  private FeatureEncoder() {}

  public static double[] encode(ProfileSnapshot profile, Instant now) {
    double[] x = new double[DIMENSION];
    x[0] = 1;
    if (profile == null) {
      return x;
    }
    Map<String, Object> f = profile.features() == null ? Map.of() : profile.features();
    Map<String, Object> p = profile.predictions() == null ? Map.of() : profile.predictions();
    Double recency = number(f.get("recencyDays"));
    x[1] = recency == null ? 0 : Math.log1p(Math.max(0, recency)) / 6;
    x[2] = recency == null ? 0 : 1;
    x[3] = log(f.get("frequency"), 3);
    x[4] = log(f.get("monetary"), 8);
    x[5] = log(f.get("averageOrderValue"), 6);
    x[6] = log(p.get("clv12m"), 8);
    x[7] = value(p.get("probabilityAlive"));
    x[8] = value(p.get("churnRisk"));
    x[9] = value(p.get("purchaseProbability30d"));
    Double engaged = number(f.get("daysSinceLastEngagement"));
    x[10] = engaged == null ? 1 : Math.log1p(Math.max(0, engaged)) / 6;
    List<String> segments = profile.segments() == null ? List.of() : profile.segments();
    x[11] = segments.contains("high-value") ? 1 : 0;
    x[12] = segments.contains("loyal") ? 1 : 0;
    x[13] = segments.contains("at-risk") ? 1 : 0;
    x[14] = segments.contains("new-exploring") ? 1 : 0;
    x[15] = segments.contains("opportunity") ? 1 : 0;
    x[16] = hourAffinity(f.get("engagementByHourOfWeek"), zone(profile), now);
    Double birthday = number(f.get("daysToBirthday"));
    x[17] = birthday != null && birthday <= 7 ? 1 : 0;
    return x;
  }

  /** The customer's time zone, UTC when unknown or invalid. */
  public static ZoneId zone(ProfileSnapshot profile) {
    Object tz =
        profile == null || profile.attributes() == null
            ? null
            : profile.attributes().get("timezone");
    if (tz instanceof String s && !s.isBlank()) {
      try {
        return ZoneId.of(s);
      } catch (DateTimeException e) {
        return ZoneOffset.UTC;
      }
    }
    return ZoneOffset.UTC;
  }

  /** Hour of the week, Monday 00h = 0, in the given zone. */
  public static int hourOfWeek(Instant at, ZoneId zone) {
    ZonedDateTime t = at.atZone(zone);
    return (t.getDayOfWeek().getValue() - 1) * 24 + t.getHour();
  }

  /** The engagement histogram (168 counts) or null when the profile has none. */
  public static double[] histogram(Object raw) {
    if (!(raw instanceof List<?> list) || list.size() != 168) {
      return null;
    }
    double[] h = new double[168];
    for (int i = 0; i < 168; i++) {
      Double v = number(list.get(i));
      h[i] = v == null ? 0 : v;
    }
    return h;
  }

  private static double hourAffinity(Object raw, ZoneId zone, Instant now) {
    double[] h = histogram(raw);
    if (h == null) {
      return 0;
    }
    double total = 0;
    for (double v : h) {
      total += v;
    }
    return total == 0 ? 0 : Math.min(1, 24 * h[hourOfWeek(now, zone)] / total);
  }

  private static double log(Object raw, double scale) {
    Double v = number(raw);
    return v == null ? 0 : Math.log1p(Math.max(0, v)) / scale;
  }

  private static double value(Object raw) {
    Double v = number(raw);
    return v == null || v.isNaN() ? 0 : Math.max(0, Math.min(1, v));
  }

  private static Double number(Object raw) {
    return raw instanceof Number n ? n.doubleValue() : null;
  }
}
