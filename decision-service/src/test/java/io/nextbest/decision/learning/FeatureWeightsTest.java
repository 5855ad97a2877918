package io.nextbest.decision.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.models.policy.LinearArm;
import io.nextbest.models.policy.PolicyModel;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeatureWeightsTest {
  private static final List<String> NAMES = List.of("bias", "small", "large-scale", "heavy");

  /** Rewards 2 + 3·heavy + 0.001·large-scale (large-scale on a scale 1,000 times larger). */
  private static LinearArm arm(long seed, int n) {
    SplittableRandom random = new SplittableRandom(seed);
    LinearArm arm = new LinearArm(NAMES.size());
    for (int i = 0; i < n; i++) {
      double small = random.nextGaussian() * 0.1;
      double large = random.nextGaussian() * 1000;
      double heavy = random.nextGaussian();
      arm.update(new double[] {1, small, large, heavy}, 2 + 3 * heavy + 0.001 * large);
    }
    return arm;
  }

  @Test
  void ranksFeaturesByCoefficientTimesTheirSpread() {
    PolicyModel model =
        new PolicyModel(
            7,
            Map.of("spring", arm(1, 4000), "none", arm(2, 50), "base", arm(3, 4000)),
            1,
            PolicyModel.uniform(0.001, NAMES.size()));
    List<FeatureWeights.Arm> arms = FeatureWeights.heaviest(model, NAMES, 2, 10);
    assertThat(arms).extracting(FeatureWeights.Arm::arm).containsExactly("spring", "none");
    FeatureWeights.Arm spring = arms.get(0);
    assertThat(spring.observations()).isEqualTo(4000);
    assertThat(spring.features()).hasSize(2);
    // heavy: 3 × sd 1; large-scale: 0.001 × sd 1,000 = 1; the intercept is never listed
    assertThat(spring.features().get(0).feature()).isEqualTo("heavy");
    assertThat(spring.features().get(0).coefficient()).isCloseTo(3, within(0.05));
    assertThat(spring.features().get(0).weight()).isCloseTo(3, within(0.15));
    assertThat(spring.features().get(1).feature()).isEqualTo("large-scale");
    assertThat(spring.features().get(1).weight()).isCloseTo(1, within(0.1));
    assertThat(FeatureWeights.heaviest(model, NAMES, 5, 1)).hasSize(1);
  }
}
