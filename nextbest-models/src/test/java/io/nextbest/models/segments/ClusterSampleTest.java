package io.nextbest.models.segments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The segment fit holds a bounded sample of the purchasers and speaks for all of them. */
class ClusterSampleTest {
  private static final long SEED = 20_050_301L;

  /** Feature rows around three centres, as the six clustering features. */
  private static List<double[]> purchasers(int n, long seed) {
    Random random = new Random(seed);
    double[][] centres = {
      {3, 1, 4, 5, 6, 0.9}, {5, 0, 3, 6, 2, 0.2}, {1, 2, 5, 2, 7, 0.95},
    };
    List<double[]> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] c = centres[i % centres.length];
      double[] row = new double[c.length];
      for (int f = 0; f < c.length; f++) {
        row[f] = c[f] + 0.3 * random.nextGaussian();
      }
      rows.add(row);
    }
    return rows;
  }

  @Test
  void keepsAtMostItsBoundOfRowsWhateverThePopulation() {
    ClusterSample sample = new ClusterSample(500, SEED);
    List<double[]> all = purchasers(20_000, 1);
    all.forEach(sample::add);
    assertThat(sample.population()).isEqualTo(20_000);
    assertThat(sample.rows()).hasSize(500).allMatch(all::contains);
  }

  @Test
  void keepsEveryRowInOrderWhileThePopulationFits() {
    ClusterSample sample = new ClusterSample(500, SEED);
    List<double[]> all = purchasers(300, 2);
    all.forEach(sample::add);
    assertThat(sample.population()).isEqualTo(300);
    assertThat(sample.rows()).containsExactlyElementsOf(all);
  }

  @Test
  void aFitOnASampleCountsThePopulationAndScalesItsCentroidSizes() {
    ClusterSample sample = new ClusterSample(600, SEED);
    purchasers(12_000, 3).forEach(sample::add);
    ClusterModel model = ClusterFitter.fit(sample.rows(), sample.population(), 5);
    assertThat(model.customers()).isEqualTo(12_000);
    long sizes = model.centroids().stream().mapToLong(ClusterModel.Centroid::size).sum();
    // each of the eight sizes is rounded once
    assertThat(sizes).isBetween(12_000L - 8, 12_000L + 8);
  }

  @Test
  void aFitOnTheWholePopulationCountsItExactly() {
    List<double[]> all = purchasers(900, 4);
    ClusterModel model = ClusterFitter.fit(all, all.size(), 5);
    assertThat(model.customers()).isEqualTo(900);
    assertThat(model.centroids().stream().mapToLong(ClusterModel.Centroid::size).sum())
        .isEqualTo(900);
  }
}
