package io.nextbest.models.segments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every fit names all five segments, each centroid as what it resembles. */
class ClusterLabelTest {
  // standard units: recency, frequency, order value, tenure, CLV, P(alive)
  private static final double[] QUIET = {2, -1, 0, 0.5, -1, -1};
  private static final double[] TOP = {-1, 2, 1, 1, 2, 0.5};
  private static final double[] STEADY = {-0.5, 1, -0.5, 1, 0, 0.5};
  private static final double[] FRESH = {-0.5, -1, 0, -2, 0, 0.5};
  private static final double[] ACTIVE = {-1.5, 0, 0, -0.5, -0.5, 1};

  @Test
  void theFiveTypicalCustomersGetTheFiveSegments() {
    int[] labels = ClusterFitter.label(new double[][] {QUIET, TOP, STEADY, FRESH, ACTIVE});
    String[] names =
        Arrays.stream(labels).mapToObj(ClusterModel.SEGMENTS::get).toArray(String[]::new);
    assertThat(names)
        .containsExactly("at-risk", "high-value", "loyal", "new-exploring", "opportunity");
  }

  @Test
  void everySegmentIsCoveredWhateverTheCentroids() {
    Random random = new Random(11);
    for (int run = 0; run < 200; run++) {
      double[][] centers = new double[ClusterFitter.CLUSTERS][6];
      for (double[] c : centers) {
        for (int i = 0; i < c.length; i++) {
          c[i] = random.nextGaussian();
        }
      }
      int[] labels = ClusterFitter.label(centers);
      assertThat(Arrays.stream(labels).distinct().count()).isEqualTo(ClusterModel.SEGMENTS.size());
    }
  }

  @Test
  void extremeCustomersAreHeldWithinTheClip() {
    ClusterModel m =
        new ClusterModel(1, null, 1, new double[] {0, 0}, new double[] {1, 1}, java.util.List.of());
    assertThat(m.scale(new double[] {-40, 1})).containsExactly(-ClusterModel.CLIP, 1);
  }
}
