package io.nextbest.tools.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The published Hillstrom figures and the learned policy's check, on the real data set. */
class HillstromEvalCommandTest {
  private static final Path DATA = Path.of("../../shared/data/hillstrom/hillstrom.csv.gz");

  @Test
  @SuppressWarnings("unchecked")
  void learnedPolicyBeatsEveryFixedArmOnVisits() throws Exception {
    Assumptions.assumeTrue(Files.exists(DATA), "shared data set beside the repository");
    var rows = HillstromEvalCommand.read(DATA);
    assertThat(rows).hasSize(64_000);
    // the published visit rates per arm (SOURCE.txt), over all 64,000 customers
    double[] visits = new double[3];
    int[] n = new int[3];
    for (var r : rows) {
      visits[r.arm()] += r.visit();
      n[r.arm()]++;
    }
    assertThat(visits[1] / n[1]).isCloseTo(0.18276, within(0.00001));
    assertThat(visits[2] / n[2]).isCloseTo(0.15140, within(0.00001));
    assertThat(visits[0] / n[0]).isCloseTo(0.10617, within(0.00001));

    Map<String, Object> out = HillstromEvalCommand.evaluate(rows, "visit", 42);
    var checks = (Map<String, Object>) out.get("checks");
    assertThat(checks.get("learnedAtLeastBestArmMinusOneSe")).isEqualTo(true);
    assertThat(checks.get("learnedAtLeast1.25xRandom")).isEqualTo(true);
    var replay = (Map<String, Object>) out.get("replay");
    assertThat((double) replay.get("banditOverRandom")).isGreaterThan(1.1);
  }
}
