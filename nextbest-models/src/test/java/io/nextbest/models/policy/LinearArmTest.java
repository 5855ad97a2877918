package io.nextbest.models.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearArmTest {

  @Test
  void recoversTheWeightsOfALinearReward() {
    LinearArm arm = new LinearArm(3);
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 20_000; i++) {
      double[] x = {1, random.nextDouble(), random.nextDouble() < 0.3 ? 1 : 0};
      double r = 0.2 + 0.5 * x[1] - 0.3 * x[2] + 0.1 * Gaussian.next(random);
      arm.update(x, r);
    }
    Posterior p = arm.posterior(1.0);
    assertThat(p.mean()).containsExactly(new double[] {0.2, 0.5, -0.3}, within(0.01));
    assertThat(p.noiseVariance()).isCloseTo(0.01, within(0.001));
    assertThat(p.predictSd(new double[] {1, 0.5, 1})).isLessThan(0.005);
  }

  @Test
  void delayedRewardsGiveTheSameModelAsImmediateOnes() {
    LinearArm immediate = new LinearArm(2);
    LinearArm delayed = new LinearArm(2);
    double[][] xs = {{1, 0.5}, {1, 2}, {1, -1}};
    double[][] rewards = {{3, 2}, {0}, {1, 1, 1}}; // several outcomes per decision
    for (int i = 0; i < xs.length; i++) {
      double total = 0;
      for (double r : rewards[i]) {
        total += r;
      }
      immediate.update(xs[i], total);
      delayed.observe(xs[i]);
    }
    for (int i = 0; i < xs.length; i++) {
      double previous = 0;
      for (double r : rewards[i]) {
        delayed.reward(xs[i], r, previous);
        previous += r;
      }
    }
    assertThat(delayed).isEqualTo(immediate);
  }

  @Test
  void snapshotRoundTripsExactly() {
    LinearArm arm = new LinearArm(4);
    arm.update(new double[] {1, 2, 3, 4}, 5);
    arm.update(new double[] {1, 0, 0, 1}, -1);
    assertThat(LinearArm.fromBytes(arm.toBytes())).isEqualTo(arm);
  }

  @Test
  void aFreshArmIsCentredOnItsPriorAndUncertain() {
    Posterior p = new LinearArm(2).posterior(1.0, new double[] {0.3, 0});
    assertThat(p.predictMean(new double[] {1, 0})).isCloseTo(0.3, within(1e-12));
    assertThat(p.predictSd(new double[] {1, 0})).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void choleskyInverseIsTheInverse() {
    double[] m = {4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2};
    double[] inv = Cholesky.inverse(m, 3);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
          s += m[i * 3 + k] * inv[k * 3 + j];
        }
        assertThat(s).isCloseTo(i == j ? 1 : 0, within(1e-12));
      }
    }
  }
}
