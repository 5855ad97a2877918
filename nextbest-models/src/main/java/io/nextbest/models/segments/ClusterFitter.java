package io.nextbest.models.segments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.clustering.CentroidCluster;
import org.hipparchus.clustering.DoublePoint;
import org.hipparchus.clustering.KMeansPlusPlusClusterer;
import org.hipparchus.clustering.MultiKMeansPlusPlusClusterer;
import org.hipparchus.clustering.distance.EuclideanDistance;
import org.hipparchus.random.Well19937c;

/**
 * Fits the five marketing segments: K-means++ (Hipparchus) over standardised log-features, best of
 * several seeded runs, with more clusters than segments ({@link #CLUSTERS}) so that natural groups
 * are not forced together; each centroid is then labelled with a segment (see {@link #label}).
 * Several centroids may share a label (e.g. two kinds of at-risk customers).
 */
public final class ClusterFitter {
  /** Fewest purchasers a fit needs. */
  public static final int MIN_CUSTOMERS = 50;

  /** Clusters fitted; each is labelled as one of the five segments. */
  public static final int CLUSTERS = 8;

  private ClusterFitter() {}

  /**
   * Fits on the feature rows of a uniform sample of the purchasers (all of them when they are few).
   *
   * @param rows the sample, raw features in {@link ClusterModel#FEATURES} order; standardised in
   *     place, so the sample is held once
   * @param population purchasers the sample stands for: the model's customer count, and the scale
   *     of the centroid sizes counted on the sample (exact when the sample is the population)
   * @param seed seeds the K-means++ runs
   */
  public static ClusterModel fit(List<double[]> rows, long population, long seed) {
    return fit(rows, population, seed, null);
  }

  /**
   * As {@link #fit(List, long, long)}, recording the moment the rows' features were computed at.
   */
  public static ClusterModel fit(List<double[]> rows, long population, long seed, Instant asOf) {
    int k = CLUSTERS;
    int dims = ClusterModel.FEATURES.size();
    double[] means = new double[dims];
    double[] scales = new double[dims];
    for (double[] r : rows) {
      for (int i = 0; i < dims; i++) {
        means[i] += r[i];
      }
    }
    for (int i = 0; i < dims; i++) {
      means[i] /= rows.size();
    }
    for (double[] r : rows) {
      for (int i = 0; i < dims; i++) {
        scales[i] += (r[i] - means[i]) * (r[i] - means[i]);
      }
    }
    for (int i = 0; i < dims; i++) {
      scales[i] = Math.sqrt(scales[i] / rows.size());
      if (!(scales[i] > 1e-9)) {
        scales[i] = 1; // a constant feature: leave it unscaled, it cannot separate anyone
      }
    }
    List<DoublePoint> points = new ArrayList<>(rows.size());
    for (double[] r : rows) {
      for (int i = 0; i < dims; i++) {
        r[i] = ClusterModel.clip((r[i] - means[i]) / scales[i]);
      }
      points.add(new DoublePoint(r)); // wraps the row, no copy
    }
    var kmeans =
        new KMeansPlusPlusClusterer<DoublePoint>(
            k, 300, new EuclideanDistance(), new Well19937c(seed));
    List<CentroidCluster<DoublePoint>> clusters =
        new MultiKMeansPlusPlusClusterer<>(kmeans, 5).cluster(points);

    double[][] centers = new double[clusters.size()][];
    for (int c = 0; c < clusters.size(); c++) {
      centers[c] = clusters.get(c).getCenter().getPoint();
    }
    int[] labels = label(centers);
    long[] sizes = new long[centers.length];
    ClusterModel unlabelled =
        new ClusterModel(
            0, Instant.now(), population, means, scales, centroids(centers, labels, sizes, null));
    Map<String, List<double[]>> members = new LinkedHashMap<>();
    ClusterModel.SEGMENTS.forEach(segment -> members.put(segment, new ArrayList<>()));
    for (double[] z : rows) {
      int c = nearest(unlabelled, z);
      sizes[c]++;
      members.get(ClusterModel.SEGMENTS.get(labels[c])).add(unlabelled.unscale(z));
    }
    if (population > rows.size()) {
      for (int c = 0; c < sizes.length; c++) {
        sizes[c] = Math.round((double) sizes[c] * population / rows.size());
      }
    }
    Map<String, Map<String, Double>> typical = new LinkedHashMap<>();
    members.forEach((segment, raw) -> typical.put(segment, medians(raw)));
    return new ClusterModel(
        0,
        Instant.now(),
        population,
        means,
        scales,
        centroids(centers, labels, sizes, unlabelled),
        asOf,
        typical);
  }

  /** The median of each feature over the rows (features' own units); empty without rows. */
  static Map<String, Double> medians(List<double[]> raw) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (raw.isEmpty()) {
      return out;
    }
    double[] column = new double[raw.size()];
    for (int i = 0; i < ClusterModel.FEATURES.size(); i++) {
      for (int k = 0; k < column.length; k++) {
        column[k] = raw.get(k)[i];
      }
      java.util.Arrays.sort(column);
      int n = column.length;
      double median = n % 2 == 1 ? column[n / 2] : (column[n / 2 - 1] + column[n / 2]) / 2;
      out.put(ClusterModel.FEATURES.get(i), Math.round(median * 100) / 100.0);
    }
    return out;
  }

  // the nearest centroid of a standardised row
  private static int nearest(ClusterModel m, double[] z) {
    int best = -1;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < m.centroids().size(); c++) {
      double[] center = m.centroids().get(c).center();
      double d = 0;
      for (int i = 0; i < z.length; i++) {
        d += (z[i] - center[i]) * (z[i] - center[i]);
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best;
  }

  private static List<ClusterModel.Centroid> centroids(
      double[][] centers, int[] labels, long[] sizes, ClusterModel scaler) {
    List<ClusterModel.Centroid> out = new ArrayList<>();
    for (int c = 0; c < centers.length; c++) {
      Map<String, Double> typical = new LinkedHashMap<>();
      if (scaler != null) {
        double[] raw = scaler.unscale(centers[c]);
        for (int i = 0; i < raw.length; i++) {
          typical.put(ClusterModel.FEATURES.get(i), Math.round(raw[i] * 100) / 100.0);
        }
      }
      out.add(
          new ClusterModel.Centroid(
              ClusterModel.SEGMENTS.get(labels[c]), centers[c], typical, sizes[c]));
    }
    return out;
  }

  /**
   * How well a centroid (in standard units) fits each segment, in {@link ClusterModel#SEGMENTS}
   * order.
   */
  static double[] scores(double[] z) {
    double recency = z[ClusterModel.RECENCY];
    double frequency = z[ClusterModel.FREQUENCY];
    double orderValue = z[ClusterModel.ORDER_VALUE];
    double tenure = z[ClusterModel.TENURE];
    double clv = z[ClusterModel.CLV];
    double alive = z[ClusterModel.ALIVE];
    return new double[] {
      // high value: the most expected value, large baskets, and buying still (a model that finds
      // little dropout keeps a long-silent big buyer's CLV high)
      clv + 0.5 * orderValue + 0.25 * frequency - 0.5 * recency,
      // loyal: frequent, long-standing, still active; their value is what high value is for, so
      // the most valuable frequent buyers are high value and loyal the steady ones below them
      frequency + 0.5 * tenure + 0.5 * alive - 0.5 * recency - 0.5 * clv,
      // opportunity: active and recent but of modest value so far
      alive - recency - 0.5 * clv,
      // at risk: long quiet, unlikely alive, yet a history worth winning back
      recency - alive + 0.25 * frequency,
      // new / exploring: only recently acquainted
      -tenure
    };
  }

  /**
   * The label of each centroid: of all labellings that give every segment at least one centroid,
   * the one whose centroids fit their segments best in sum (each score taken per unit of its
   * weights, so no segment is favoured by having more terms). With fewer centroids than segments,
   * each centroid simply takes the segment it fits best. Exhaustive: 5^8 labellings at most.
   */
  static int[] label(double[][] centers) {
    int segments = ClusterModel.SEGMENTS.size();
    double[][] fit = new double[centers.length][];
    for (int c = 0; c < centers.length; c++) {
      double[] s = scores(centers[c]);
      for (int l = 0; l < s.length; l++) {
        s[l] /= WEIGHT_NORMS[l];
      }
      fit[c] = s;
    }
    int[] best = new int[centers.length];
    for (int c = 0; c < centers.length; c++) {
      for (int l = 1; l < segments; l++) {
        if (fit[c][l] > fit[c][best[c]]) {
          best[c] = l;
        }
      }
    }
    if (centers.length < segments) {
      return best;
    }
    int[] current = new int[centers.length];
    double[] bestTotal = {Double.NEGATIVE_INFINITY};
    search(fit, 0, current, new int[segments], 0, segments, best, bestTotal);
    return best;
  }

  // depth-first over labellings; prunes those that can no longer cover every segment
  private static void search(
      double[][] fit,
      int c,
      int[] current,
      int[] carriers,
      double total,
      int segments,
      int[] best,
      double[] bestTotal) {
    int uncovered = 0;
    for (int l = 0; l < segments; l++) {
      if (carriers[l] == 0) {
        uncovered++;
      }
    }
    if (uncovered > fit.length - c) {
      return;
    }
    if (c == fit.length) {
      if (total > bestTotal[0]) {
        bestTotal[0] = total;
        System.arraycopy(current, 0, best, 0, current.length);
      }
      return;
    }
    for (int l = 0; l < segments; l++) {
      current[c] = l;
      carriers[l]++;
      search(fit, c + 1, current, carriers, total + fit[c][l], segments, best, bestTotal);
      carriers[l]--;
    }
  }

  /** Euclidean norm of each score's weights (see {@link #scores}). */
  private static final double[] WEIGHT_NORMS = {
    Math.sqrt(1 + 0.25 + 0.0625 + 0.25),
    Math.sqrt(1 + 0.25 + 0.25 + 0.25 + 0.25),
    Math.sqrt(1 + 1 + 0.25),
    Math.sqrt(1 + 1 + 0.0625),
    1
  };
}
