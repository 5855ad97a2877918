package io.nextbest.decision.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.decision.report.OffPolicy.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OffPolicyTest {
  @Test
  void offPolicyEstimatorsRecoverAKnownPolicyValue() {
    // logging: uniform over two actions; "a" pays 1 with probability 0.3, "b" with 0.1
    SplittableRandom random = new SplittableRandom(11);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      String action = random.nextBoolean() ? "a" : "b";
      double reward = random.nextDouble() < (action.equals("a") ? 0.3 : 0.1) ? 1 : 0;
      samples.add(
          new Sample(action, 0.5, reward, Map.of("a", 1.0, "b", 0.0), Map.of("a", 0.25, "b", 0.1)));
    }
    var e = OffPolicy.estimate(samples);
    assertThat(e.ips().value()).isCloseTo(0.3, within(3 * e.ips().se()));
    assertThat(e.snips().value()).isCloseTo(0.3, within(3 * e.snips().se()));
    assertThat(e.doublyRobust().value()).isCloseTo(0.3, within(3 * e.doublyRobust().se()));
    assertThat(e.doublyRobust().se()).isLessThanOrEqualTo(e.ips().se());
    assertThat(e.effectiveSampleSize()).isCloseTo(20_000, within(500.0));
    assertThat(e.ips().low()).isLessThan(0.3);
    assertThat(e.ips().high()).isGreaterThan(0.3);
  }
}
