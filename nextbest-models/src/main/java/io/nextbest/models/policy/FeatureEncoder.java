package io.nextbest.models.policy;

import io.nextbest.events.ProfileSnapshot;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The context vector of a customer at a moment, in two parts. The shared part describes the
 * customer and the moment and is the same for every action: profile signals (recency, frequency,
 * value, CLV, P(alive), churn risk, engagement recency, tenure, segments, hour affinity, birthday
 * week, price sensitivity, channel engagement, review sentiment, category shares), contact pressure
 * (sends in the last 1, 7 and 30 days and hours since the last one), the declared context keys and
 * traits of the {@link FeatureSchema}, and the undeclared ones hashed into buckets. The cross part
 * depends on the action too: the customer's share of views and purchases in the campaign's
 * category, its discount depth against the customer's price sensitivity, and the pressure and
 * engagement on the campaign's channel; it is zero for "none".
 *
 * <p>Every time-relative feature is computed as of the decision's moment from stored timestamps
 * (recency from the last purchase, P(alive) from the BG/NBD parameters in the snapshot, days since
 * engagement, tenure, hour of the week, days to birthday), never read frozen from the snapshot.
 * Every value is finite and of order one.
 */
public final class FeatureEncoder {
  /** Index of the constant feature ({@code bias}, always 1). */
  public static final int INTERCEPT = 0;

  /** Channels whose pressure and engagement are features. */
  public static final List<String> CHANNELS = List.of("email", "push", "sms", "web", "in-app");

  static final List<String> BASE =
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
          "log-tenure-days",
          "segment:high-value",
          "segment:loyal",
          "segment:at-risk",
          "segment:new-exploring",
          "segment:opportunity",
          "hour-affinity",
          "birthday-week",
          "price-sensitivity",
          "discount-order-share",
          "email-open-rate",
          "email-click-rate",
          "push-open-rate",
          "log-sends-1d",
          "log-sends-7d",
          "log-sends-30d",
          "log-hours-since-last-send",
          "review-sentiment",
          "has-reviews",
          "top-category-view-share",
          "top-category-purchase-share");

  /** The action-dependent features, last in the vector. */
  public static final List<String> CROSS =
      List.of(
          "campaign:category-view-share",
          "campaign:category-purchase-share",
          "campaign:discount-depth",
          "campaign:discount-x-price-sensitivity",
          "campaign:channel-log-sends-1d",
          "campaign:channel-log-sends-7d",
          "campaign:channel-log-hours-since-last-send",
          "campaign:channel-open-rate",
          "campaign:channel-click-rate");

  private static final String[] SEGMENTS = {
    "high-value", "loyal", "at-risk", "new-exploring", "opportunity"
  };

  /**
   * A send from the contact history.
   *
   * @param campaignId campaign sent
   * @param channel its channel
   * @param at when
   */
  public record Send(String campaignId, String channel, Instant at) {}

  /**
   * What the cross features are computed from; logged with the decision so that off-policy
   * evaluation can rebuild every candidate's vector.
   *
   * @param viewShares share of category-bearing views per category
   * @param purchaseShares share of purchased items per category
   * @param priceSensitivity share of orders (and discount events) with a discount, 0–1
   * @param channels per channel: sends in 1, 7, 30 days, hours since the last send (-1 never), open
   *     rate, click rate
   */
  public record Facts(
      Map<String, Double> viewShares,
      Map<String, Double> purchaseShares,
      double priceSensitivity,
      Map<String, double[]> channels) {
    public static final Facts EMPTY = new Facts(Map.of(), Map.of(), 0, Map.of());

    /** Compact JSON form for the decision log: channels without any send or engagement left out. */
    public Map<String, Object> toJson() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("vs", viewShares);
      out.put("ps", purchaseShares);
      out.put("price", priceSensitivity);
      Map<String, double[]> ch = new LinkedHashMap<>();
      channels.forEach(
          (c, v) -> {
            if (v[0] + v[1] + v[2] + v[4] + v[5] > 0 || v[3] >= 0) {
              ch.put(c, v);
            }
          });
      out.put("ch", ch);
      return out;
    }

    /** Reads {@link #toJson()}'s form back; anything unreadable is left empty. */
    public static Facts fromJson(Object raw) {
      if (!(raw instanceof Map<?, ?> m)) {
        return EMPTY;
      }
      Map<String, double[]> channels = new TreeMap<>();
      for (String c : CHANNELS) {
        channels.put(c, new double[] {0, 0, 0, -1, 0, 0});
      }
      if (m.get("ch") instanceof Map<?, ?> ch) {
        ch.forEach(
            (c, v) -> {
              List<?> l = v instanceof double[] a ? Arrays.stream(a).boxed().toList() : null;
              l = v instanceof List<?> list ? list : l;
              if (c instanceof String name && channels.containsKey(name) && l != null) {
                double[] values = channels.get(name);
                for (int i = 0; i < values.length && i < l.size(); i++) {
                  Double d = number(l.get(i));
                  values[i] = d == null ? values[i] : d;
                }
              }
            });
      }
      Double price = number(m.get("price"));
      return new Facts(
          shares(m.get("vs")), shares(m.get("ps")), price == null ? 0 : price, channels);
    }
  }

  /**
   * An encoded moment.
   *
   * @param shared the action-independent part
   * @param facts what the cross part is computed from
   * @param ignored context keys and traits that could not be used (nested values, undeclared keys
   *     when hashing is off)
   */
  public record Encoded(double[] shared, Facts facts, List<String> ignored) {}

  private final FeatureSchema schema;
  private final String id;
  private final List<String> names;
  private final int sharedDimension;
  private final int declaredOffset;
  private final int hashOffset;

  public FeatureEncoder(FeatureSchema schema) {
    this.schema = schema;
    this.names = names(schema);
    this.id = schema.id();
    this.sharedDimension = names.size() - CROSS.size();
    this.declaredOffset = BASE.size() + 2 * schema.categories().size();
    this.hashOffset = declaredOffset + schema.declaredNames().size();
  }

  /** Feature names of a schema, shared part first, cross part last. */
  public static List<String> names(FeatureSchema schema) {
    List<String> n = new ArrayList<>(BASE);
    schema.categories().forEach(c -> n.add("category-view-share:" + c));
    schema.categories().forEach(c -> n.add("category-purchase-share:" + c));
    n.addAll(schema.declaredNames());
    for (int i = 0; i < schema.hashBuckets(); i++) {
      n.add("hashed:" + i);
    }
    n.addAll(CROSS);
    return List.copyOf(n);
  }

  public FeatureSchema schema() {
    return schema;
  }

  /** The encoder id logged with decisions and stored with arms. */
  public String id() {
    return id;
  }

  public List<String> names() {
    return names;
  }

  /**
   * The prior precision of an arm's deviation from the base, per feature. A reward's noise (organic
   * purchases) is an order of magnitude larger than the differences between actions, so every
   * deviation the data may take is a chance to fit noise: the intercept (what the action is worth
   * on average) gets {@code precision}; the action features (category shares, discount, channel
   * pressure and engagement), where uplift is expected to vary with the customer, {@code 3 ×
   * precision}; the moment's context, traits, price sensitivity and contact pressure, many of them
   * one-hot groups that overlap the intercept, {@code 10 × precision}; the features that mostly say
   * what the customer is worth anyway (recency, value, CLV, segments, ...) {@code 1000 ×
   * precision}, so the arms share them with the base.
   */
  public double[] armPrior(double precision) {
    double[] p = new double[names.size()];
    for (int i = 0; i < p.length; i++) {
      String n = names.get(i);
      boolean moment =
          n.startsWith("hashed:")
              || n.startsWith("context:")
              || n.startsWith("trait:")
              || n.startsWith("log-sends-")
              || n.equals("log-hours-since-last-send")
              || n.equals("price-sensitivity");
      double factor = i == INTERCEPT ? 1 : n.startsWith("campaign:") ? 3 : moment ? 10 : 1000;
      p[i] = precision * factor;
    }
    return p;
  }

  /** Length of a full vector (shared and cross). */
  public int dimension() {
    return names.size();
  }

  public int sharedDimension() {
    return sharedDimension;
  }

  /**
   * Encodes the shared part at moment {@code at}.
   *
   * @param profile the snapshot, or null for an unknown customer (bias alone)
   * @param context the request's context, or null
   * @param sends the customer's sends before {@code at} (any order), or null when unknown
   */
  public Encoded encode(
      ProfileSnapshot profile, Map<String, Object> context, Collection<Send> sends, Instant at) {
    double[] x = new double[sharedDimension];
    x[INTERCEPT] = 1;
    List<String> ignored = new ArrayList<>();
    Map<String, Object> f =
        profile == null || profile.features() == null ? Map.of() : profile.features();
    Map<String, Object> p =
        profile == null || profile.predictions() == null ? Map.of() : profile.predictions();
    Map<String, Object> attributes =
        profile == null || profile.attributes() == null ? Map.of() : profile.attributes();
    Instant lastPurchase = instant(f.get("lastPurchaseAt"), date(f.get("lastPurchaseDate")));
    Instant firstPurchase = instant(f.get("firstPurchaseAt"), date(f.get("firstPurchaseDate")));
    if (lastPurchase != null) {
      x[1] = Math.log1p(days(lastPurchase, at)) / 6;
      x[2] = 1;
    }
    x[3] = log(f.get("frequency"), 3);
    x[4] = log(f.get("monetary"), 8);
    x[5] = log(f.get("averageOrderValue"), 6);
    x[6] = log(p.get("clv12m"), 8);
    double alive = probabilityAlive(f, p, firstPurchase, lastPurchase, at);
    x[7] = alive;
    x[8] = lastPurchase == null ? 0 : 1 - alive;
    x[9] = unit(p.get("purchaseProbability30d"));
    Instant engaged = instant(f.get("lastEngagementAt"), instant(f.get("lastEventAt"), null));
    x[10] = engaged == null ? 1 : Math.log1p(days(engaged, at)) / 6;
    Instant first = instant(f.get("firstEventAt"), null);
    x[11] = first == null ? 0 : Math.log1p(days(first, at)) / 7;
    List<String> segments =
        profile == null || profile.segments() == null ? List.of() : profile.segments();
    for (int i = 0; i < SEGMENTS.length; i++) {
      x[12 + i] = segments.contains(SEGMENTS[i]) ? 1 : 0;
    }
    ZoneId zone = zone(profile);
    x[17] = hourAffinity(f.get("engagementByHourOfWeek"), zone, at);
    Long toBirthday = daysToBirthday(attributes.get("birthdate"), at.atZone(zone).toLocalDate());
    x[18] = toBirthday != null && toBirthday <= 7 ? 1 : 0;
    double priceSensitivity = unit(f.get("priceSensitivity"));
    x[19] = priceSensitivity;
    x[20] = unit(f.get("discountOrderShare"));
    Map<String, double[]> channels = channels(f.get("channelEngagement"), sends, at);
    x[21] = channels.get("email")[4];
    x[22] = channels.get("email")[5];
    x[23] = channels.get("push")[4];
    double[] all = total(channels);
    x[24] = Math.log1p(all[0]) / 2;
    x[25] = Math.log1p(all[1]) / 3;
    x[26] = Math.log1p(all[2]) / 4;
    x[27] = hoursSince(all[3]);
    Double sentiment = number(f.get("reviewSentiment"));
    x[28] = sentiment == null ? 0 : Math.max(-1, Math.min(1, sentiment));
    x[29] = sentiment == null ? 0 : 1;
    Map<String, Double> views = shares(f.get("categoryViewShares"));
    Map<String, Double> purchases = shares(f.get("categoryPurchaseShares"));
    x[30] = views.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    x[31] = purchases.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    int i = BASE.size();
    for (String c : schema.categories()) {
      x[i++] = views.getOrDefault(c, 0.0);
    }
    for (String c : schema.categories()) {
      x[i++] = purchases.getOrDefault(c, 0.0);
    }
    Object rawTraits = attributes.get("traits");
    Map<?, ?> traits = rawTraits instanceof Map<?, ?> m ? m : Map.of();
    declared(x, context == null ? Map.of() : context, traits, ignored);
    return new Encoded(x, new Facts(views, purchases, priceSensitivity, channels), ignored);
  }

  /** The full vector of an action: the shared part and, for a campaign, its cross part. */
  public double[] full(
      double[] shared, Facts facts, CampaignAttributes campaign, String channel, boolean none) {
    double[] x = Arrays.copyOf(shared, names.size());
    if (none) {
      return x;
    }
    int c = sharedDimension;
    CampaignAttributes a = campaign == null ? CampaignAttributes.NONE : campaign;
    if (a.category() != null) {
      x[c] = facts.viewShares().getOrDefault(a.category(), 0.0);
      x[c + 1] = facts.purchaseShares().getOrDefault(a.category(), 0.0);
    }
    double depth = a.discountDepth() == null ? 0 : a.discountDepth() / 100;
    x[c + 2] = depth;
    x[c + 3] = depth * facts.priceSensitivity();
    double[] ch = channel == null ? null : facts.channels().get(channel);
    if (ch != null) {
      x[c + 4] = Math.log1p(ch[0]) / 2;
      x[c + 5] = Math.log1p(ch[1]) / 3;
      x[c + 6] = hoursSince(ch[3]);
      x[c + 7] = ch[4];
      x[c + 8] = ch[5];
    }
    return x;
  }

  private void declared(
      double[] x, Map<String, Object> context, Map<?, ?> traits, List<String> ignored) {
    int i = declaredOffset;
    for (String k : schema.contextNumbers()) {
      x[i++] = signedLog(number(context.get(k)));
    }
    for (String k : schema.contextBooleans()) {
      x[i++] = Boolean.TRUE.equals(context.get(k)) ? 1 : 0;
    }
    for (var e : schema.contextStrings().entrySet()) {
      Object v = context.get(e.getKey());
      for (String value : e.getValue()) {
        x[i++] = value.equals(v) ? 1 : 0;
      }
    }
    for (String k : schema.traitNumbers()) {
      x[i++] = signedLog(number(traits.get(k)));
    }
    for (String k : schema.traitBooleans()) {
      x[i++] = Boolean.TRUE.equals(traits.get(k)) ? 1 : 0;
    }
    for (var e : schema.traitStrings().entrySet()) {
      Object v = traits.get(e.getKey());
      for (String value : e.getValue()) {
        x[i++] = value.equals(v) ? 1 : 0;
      }
    }
    Set<String> declaredContext = declaredKeys(true);
    Set<String> declaredTraits = declaredKeys(false);
    context.forEach((k, v) -> hashed(x, "context:", k, v, declaredContext, ignored));
    traits.forEach(
        (k, v) -> {
          if (k instanceof String key) {
            hashed(x, "trait:", key, v, declaredTraits, ignored);
          }
        });
  }

  private Set<String> declaredKeys(boolean context) {
    Set<String> keys = new java.util.HashSet<>();
    keys.addAll(context ? schema.contextNumbers() : schema.traitNumbers());
    keys.addAll(context ? schema.contextBooleans() : schema.traitBooleans());
    keys.addAll(context ? schema.contextStrings().keySet() : schema.traitStrings().keySet());
    return keys;
  }

  /**
   * The hashing trick for a key nobody declared: a string or boolean sets the bucket of key=value
   * to 1, a number adds its signed log to the bucket of the key. Nested values (and everything when
   * hashing is off) are ignored and reported.
   */
  private void hashed(
      double[] x, String prefix, String key, Object v, Set<String> declared, List<String> ignored) {
    if (declared.contains(key) || v == null) {
      return;
    }
    int buckets = schema.hashBuckets();
    boolean scalar = v instanceof String || v instanceof Boolean || v instanceof Number;
    if (buckets == 0 || !scalar || v instanceof String s && s.length() > 200) {
      ignored.add(prefix + key);
      return;
    }
    if (v instanceof Number n) {
      x[hashOffset + bucket(prefix + key, buckets)] += signedLog(n.doubleValue());
    } else {
      x[hashOffset + bucket(prefix + key + "=" + v, buckets)] += 1;
    }
  }

  /** FNV-1a of the text, reduced to a bucket. */
  static int bucket(String text, int buckets) {
    int h = 0x811c9dc5;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x01000193;
    }
    return Math.floorMod(h, buckets);
  }

  /**
   * Per channel: sends in the last 1, 7 and 30 days, hours since the last send (-1 when never),
   * open and click rates (opens and clicks from the profile over the sends known, at most 1).
   */
  static Map<String, double[]> channels(Object engagement, Collection<Send> sends, Instant at) {
    Map<String, double[]> out = new TreeMap<>();
    for (String c : CHANNELS) {
      out.put(c, new double[] {0, 0, 0, -1, 0, 0});
    }
    Map<String, Integer> totals = new LinkedHashMap<>();
    if (sends != null) {
      for (Send s : sends) {
        double[] ch = s.channel() == null ? null : out.get(s.channel());
        if (ch == null || s.at() == null || s.at().isAfter(at)) {
          continue;
        }
        totals.merge(s.channel(), 1, Integer::sum);
        double hours = Duration.between(s.at(), at).toMillis() / 3_600_000.0;
        ch[0] += hours <= 24 ? 1 : 0;
        ch[1] += hours <= 24 * 7 ? 1 : 0;
        ch[2] += hours <= 24 * 30 ? 1 : 0;
        ch[3] = ch[3] < 0 ? hours : Math.min(ch[3], hours);
      }
    }
    if (engagement instanceof Map<?, ?> byChannel) {
      for (String c : CHANNELS) {
        if (byChannel.get(c) instanceof Map<?, ?> counts) {
          int sent = totals.getOrDefault(c, 0);
          Double opens = number(counts.get("opens"));
          Double clicks = number(counts.get("clicks"));
          out.get(c)[4] = rate(opens, sent);
          out.get(c)[5] = rate(clicks, sent);
        }
      }
    }
    return out;
  }

  /** Engaged events per send, smoothed towards 0 for few sends, at most 1. */
  private static double rate(Double engaged, int sent) {
    if (engaged == null || engaged <= 0) {
      return 0;
    }
    return Math.min(1, engaged / (sent + 1.0));
  }

  private static double[] total(Map<String, double[]> channels) {
    double[] t = {0, 0, 0, -1};
    for (double[] ch : channels.values()) {
      for (int i = 0; i < 3; i++) {
        t[i] += ch[i];
      }
      if (ch[3] >= 0) {
        t[3] = t[3] < 0 ? ch[3] : Math.min(t[3], ch[3]);
      }
    }
    return t;
  }

  /** Hours since the last send on a log scale; 1 when there was none. */
  private static double hoursSince(double hours) {
    return hours < 0 ? 1 : Math.min(1, Math.log1p(hours) / Math.log1p(24 * 30));
  }

  /**
   * P(alive) as of {@code at}: the BG/NBD closed form (Fader, Hardie & Lee 2005, eq. 11) with the
   * parameters in the snapshot, x repeat purchases, t_x and T in weeks from the first purchase; the
   * snapshot's own value when it carries no parameters; 1 before any purchase.
   */
  static double probabilityAlive(
      Map<String, Object> f, Map<String, Object> p, Instant first, Instant last, Instant at) {
    if (last == null || first == null) {
      return unitOr(p.get("probabilityAlive"), 1);
    }
    Double x = number(f.get("frequency"));
    if (!(p.get("bgNbd") instanceof Map<?, ?> m) || x == null) {
      return unitOr(p.get("probabilityAlive"), 1);
    }
    Double r = number(m.get("r"));
    Double alpha = number(m.get("alpha"));
    Double a = number(m.get("a"));
    Double b = number(m.get("b"));
    if (r == null || alpha == null || a == null || b == null || x <= 0 || b + x - 1 <= 0) {
      return x != null && x <= 0 ? 1 : unitOr(p.get("probabilityAlive"), 1);
    }
    double tx = days(first, last) / 7;
    double t = Math.max(tx, days(first, at) / 7);
    double odds = a / (b + x - 1) * Math.pow((alpha + t) / (alpha + tx), r + x);
    double alive = 1 / (1 + odds);
    return Double.isFinite(alive) ? alive : 0;
  }

  /** Days from {@code from} to {@code to}, never negative. */
  private static double days(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis() / 86_400_000.0);
  }

  static Long daysToBirthday(Object raw, LocalDate today) {
    if (!(raw instanceof String b)) {
      return null;
    }
    try {
      MonthDay md = MonthDay.from(LocalDate.parse(b));
      LocalDate next = atYear(md, today.getYear());
      if (next.isBefore(today)) {
        next = atYear(md, today.getYear() + 1);
      }
      return ChronoUnit.DAYS.between(today, next);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** 29 February falls on 28 February in common years. */
  private static LocalDate atYear(MonthDay md, int year) {
    return md.isValidYear(year) ? md.atYear(year) : LocalDate.of(year, 2, 28);
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
      h[i] = v == null || !(v >= 0) ? 0 : v;
    }
    return h;
  }

  private static double hourAffinity(Object raw, ZoneId zone, Instant at) {
    double[] h = histogram(raw);
    if (h == null) {
      return 0;
    }
    double total = 0;
    for (double v : h) {
      total += v;
    }
    return total == 0 ? 0 : Math.min(1, 24 * h[hourOfWeek(at, zone)] / total);
  }

  private static Map<String, Double> shares(Object raw) {
    if (!(raw instanceof Map<?, ?> m)) {
      return Map.of();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    m.forEach(
        (k, v) -> {
          if (k instanceof String c && v instanceof Number n && out.size() < 20) {
            out.put(c, Math.max(0, Math.min(1, n.doubleValue())));
          }
        });
    return out;
  }

  private static Instant instant(Object raw, Instant fallback) {
    if (raw instanceof String s) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        return fallback;
      }
    }
    if (raw instanceof Instant i) {
      return i;
    }
    return fallback;
  }

  private static Instant date(Object raw) {
    if (raw instanceof String s) {
      try {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }

  private static double signedLog(Double v) {
    if (v == null || !Double.isFinite(v)) {
      return 0;
    }
    return Math.signum(v) * Math.log1p(Math.abs(v)) / 5;
  }

  private static double log(Object raw, double scale) {
    Double v = number(raw);
    return v == null ? 0 : Math.log1p(Math.max(0, v)) / scale;
  }

  private static double unit(Object raw) {
    return unitOr(raw, 0);
  }

  private static double unitOr(Object raw, double fallback) {
    Double v = number(raw);
    return v == null ? fallback : Math.max(0, Math.min(1, v));
  }

  /** A finite number, or null. */
  static Double number(Object raw) {
    return raw instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
  }
}
