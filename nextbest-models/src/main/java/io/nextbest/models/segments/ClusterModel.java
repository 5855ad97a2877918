package io.nextbest.models.segments;

import io.nextbest.events.ProfileSnapshot;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * A K-means fit of the marketing segments over scaled RFM + CLV features: each centroid carries the
 * segment it was labelled as. A purchaser belongs to the segment of the nearest centroid; a
 * customer without a purchase yet is new/exploring.
 *
 * @param version the fit's version (0 when not stored)
 * @param fittedAt when the fit ran
 * @param customers purchasers the fit stands for (it saw a uniform sample of them when they were
 *     more than {@code nextbest.segments.max-points})
 * @param means mean of each transformed feature ({@link #FEATURES} order)
 * @param scales standard deviation of each transformed feature
 * @param centroids the labelled centroids
 * @param asOf the moment the clustered features and predictions were computed at (that of the CLV
 *     model in use); null in a model stored before it was recorded
 * @param typical per segment, the median of each feature ({@link #FEATURES}, in their own units)
 *     over the fit's members of that segment: its typical member; empty in older models
 */
public record ClusterModel(
    long version,
    Instant fittedAt,
    long customers,
    double[] means,
    double[] scales,
    List<Centroid> centroids,
    Instant asOf,
    Map<String, Map<String, Double>> typical) {

  public ClusterModel {
    typical = typical == null ? Map.of() : typical;
  }

  /** A model without a recorded moment or typical members. */
  public ClusterModel(
      long version,
      Instant fittedAt,
      long customers,
      double[] means,
      double[] scales,
      List<Centroid> centroids) {
    this(version, fittedAt, customers, means, scales, centroids, null, Map.of());
  }

  /** The same fit under the version and time it was stored with. */
  public ClusterModel stored(long storedVersion, Instant storedAt, long storedCustomers) {
    return new ClusterModel(
        storedVersion, storedAt, storedCustomers, means, scales, centroids, asOf, typical);
  }

  /** The clustering features; all but P(alive) enter as log(1 + x). */
  public static final List<String> FEATURES =
      List.of(
          "recencyDays",
          "frequency",
          "averageOrderValue",
          "tenureDays",
          "clv12m",
          "probabilityAlive");

  static final int RECENCY = 0;
  static final int FREQUENCY = 1;
  static final int ORDER_VALUE = 2;
  static final int TENURE = 3;
  static final int CLV = 4;
  static final int ALIVE = 5;

  /** The five marketing segments, in the order the labelling scores them. */
  public static final List<String> SEGMENTS =
      List.of("high-value", "loyal", "opportunity", "at-risk", "new-exploring");

  public static final String NEW_EXPLORING = "new-exploring";

  /**
   * @param segment the segment id this centroid was labelled as
   * @param center the centroid in scaled feature space
   * @param typical the centroid in the features' own units (days, purchases, currency, P(alive))
   * @param size purchasers of the fit nearest to it (counted on the sample, scaled to all of them)
   */
  public record Centroid(String segment, double[] center, Map<String, Double> typical, long size) {}

  /** The segment of a profile: the nearest centroid's, or new/exploring before a purchase. */
  public String assign(ProfileSnapshot p) {
    if (!(number(p.features().get("purchaseCount")) > 0)) {
      return NEW_EXPLORING;
    }
    double[] raw = features(p.features(), p.predictions(), LocalDate.now(ZoneOffset.UTC));
    if (raw == null) {
      return NEW_EXPLORING;
    }
    double[] z = scale(raw);
    Centroid best = null;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (Centroid c : centroids) {
      double d = 0;
      for (int i = 0; i < z.length; i++) {
        double diff = z[i] - c.center()[i];
        d += diff * diff;
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best == null ? null : best.segment();
  }

  /**
   * Standard units are held within ±{@value #CLIP} so that a handful of extreme customers (a net
   * order value of 0 after returns, a wholesaler's baskets) cannot take a cluster of their own.
   */
  static final double CLIP = 2.5;

  double[] scale(double[] raw) {
    double[] z = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      z[i] = clip((raw[i] - means[i]) / scales[i]);
    }
    return z;
  }

  static double clip(double z) {
    return Math.max(-CLIP, Math.min(CLIP, z));
  }

  double[] unscale(double[] z) {
    double[] raw = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      double t = z[i] * scales[i] + means[i];
      raw[i] = i == ALIVE ? t : Math.expm1(t);
    }
    return raw;
  }

  /**
   * The transformed clustering features of a purchaser's features and predictions, or null when the
   * profile lacks them (no purchase yet, or no prediction). Tenure is the profile's own {@code
   * tenureDays}, measured at the moment its recency and predictions were; {@code today} only serves
   * a profile published before tenure was.
   */
  public static double[] features(
      Map<String, Object> features, Map<String, Object> predictions, LocalDate today) {
    Object first = features.get("firstPurchaseDate");
    double recency = number(features.get("recencyDays"));
    double alive = number(predictions.get("probabilityAlive"));
    if (first == null || Double.isNaN(recency) || Double.isNaN(alive)) {
      return null;
    }
    double tenure = number(features.get("tenureDays"));
    if (Double.isNaN(tenure)) {
      tenure = Math.max(0, ChronoUnit.DAYS.between(LocalDate.parse(first.toString()), today));
    }
    double[] raw = new double[FEATURES.size()];
    raw[RECENCY] = Math.log1p(recency);
    raw[FREQUENCY] = Math.log1p(Math.max(0, number(features.get("frequency"))));
    raw[ORDER_VALUE] = Math.log1p(Math.max(0, number(features.get("averageOrderValue"))));
    raw[TENURE] = Math.log1p(tenure);
    raw[CLV] = Math.log1p(Math.max(0, number(predictions.get("clv12m"))));
    raw[ALIVE] = alive;
    for (double v : raw) {
      if (!Double.isFinite(v)) {
        return null;
      }
    }
    return raw;
  }

  private static double number(Object v) {
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
