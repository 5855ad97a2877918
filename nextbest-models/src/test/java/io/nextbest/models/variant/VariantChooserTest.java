package io.nextbest.models.variant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VariantChooserTest {

  @Test
  void aClearWinnerIsShownAlmostAlwaysAndAnUntestedVariantStillGetsTried() {
    SplittableRandom random = new SplittableRandom(7);
    List<VariantChooser.Arm> arms =
        List.of(new VariantChooser.Arm("a", 2000, 200), new VariantChooser.Arm("b", 2000, 100));
    int a = 0;
    for (int i = 0; i < 10_000; i++) {
      a += VariantChooser.choose(arms, random) == 0 ? 1 : 0;
    }
    assertThat(a).isGreaterThan(9_950);
    List<VariantChooser.Arm> fresh =
        List.of(new VariantChooser.Arm("a", 2000, 200), new VariantChooser.Arm("new", 0, 0));
    int tried = 0;
    for (int i = 0; i < 10_000; i++) {
      tried += VariantChooser.choose(fresh, random) == 1 ? 1 : 0;
    }
    // P(Beta(1,1) > Beta(201,1801)) ≈ 0.9
    assertThat(tried).isBetween(8_700, 9_300);
  }

  @Test
  void simulatedTrafficConvergesOnTheBetterVariant() {
    SplittableRandom random = new SplittableRandom(11);
    double[] rates = {0.03, 0.05};
    long[] shown = new long[2];
    long[] clicked = new long[2];
    for (int i = 0; i < 20_000; i++) {
      int k =
          VariantChooser.choose(
              List.of(
                  new VariantChooser.Arm("a", shown[0], clicked[0]),
                  new VariantChooser.Arm("b", shown[1], clicked[1])),
              random);
      shown[k]++;
      clicked[k] += random.nextDouble() < rates[k] ? 1 : 0;
    }
    assertThat(shown[1]).isGreaterThan(shown[0] * 3);
  }

  @Test
  void betaDrawsHaveTheRightMean() {
    SplittableRandom random = new SplittableRandom(3);
    double sum = 0;
    for (int i = 0; i < 200_000; i++) {
      sum += VariantChooser.beta(3, 7, random);
    }
    assertThat(sum / 200_000).isBetween(0.298, 0.302);
  }
}
