package io.nextbest.models.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** BG/NBD formulas against Hardie's spreadsheet values for the published CDNOW parameters. */
class BgNbdTest {
  static final BgNbd PUBLISHED = new BgNbd(0.2425945, 4.4136019, 0.7929199, 2.4258881);

  @Test
  void conditionalExpectationMatchesHardieSpreadsheet() {
    assertThat(PUBLISHED.conditionalExpectedPurchases(39, 2, 30.43, 38.86))
        .isCloseTo(1.226, within(0.001));
  }

  @Test
  void unconditionalExpectationMatchesHardieSpreadsheet() {
    double[] t = {0.1429, 1, 3, 31.8571, 32, 78};
    double[] expected = {0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576};
    for (int i = 0; i < t.length; i++) {
      // the spreadsheet's four decimals agree to three (lifetimes checks the same to 1e-3)
      assertThat(PUBLISHED.expectedPurchases(t[i])).isCloseTo(expected[i], within(0.001));
    }
  }

  @Test
  void purchaseCountDistributionMatchesBtyd() {
    BgNbd fhl = new BgNbd(0.243, 4.414, 0.793, 2.426);
    assertThat(fhl.probabilityOfPurchases(10, 2)).isCloseTo(1.07869e-07, within(1e-11));
    assertThat(fhl.probabilityOfPurchases(0, 39)).isCloseTo(0.5737864, within(1e-6));
  }

  @Test
  void distributionSumsToOneAndItsMeanIsTheExpectation() {
    double total = 0;
    double mean = 0;
    for (int x = 0; x < 400; x++) {
      double p = PUBLISHED.probabilityOfPurchases(x, 52);
      total += p;
      mean += x * p;
    }
    assertThat(total).isCloseTo(1.0, within(1e-9));
    assertThat(mean).isCloseTo(PUBLISHED.expectedPurchases(52), within(1e-6));
  }

  @Test
  void customerWithoutRepeatPurchaseIsCertainlyAlive() {
    assertThat(PUBLISHED.probabilityAlive(0, 0, 30)).isEqualTo(1.0);
  }

  @Test
  void longSilenceAfterFrequentBuyingLowersProbabilityAlive() {
    double recent = PUBLISHED.probabilityAlive(10, 38, 39);
    double silent = PUBLISHED.probabilityAlive(10, 5, 39);
    assertThat(recent).isGreaterThan(0.9);
    assertThat(silent).isLessThan(0.05);
  }

  @Test
  void purchaseProbabilityIsBetweenZeroAndAliveProbability() {
    double p = PUBLISHED.probabilityOfPurchase(4.3, 3, 20, 30);
    assertThat(p).isPositive().isLessThan(PUBLISHED.probabilityAlive(3, 20, 30));
  }

  @Test
  void expectationStaysFiniteForHeavyBuyersOverLongHorizons() {
    double e = PUBLISHED.conditionalExpectedPurchases(52, 300, 38, 39);
    assertThat(e).isFinite().isPositive().isLessThan(2000);
  }

  @Test
  void rejectsNonPositiveParameters() {
    assertThatThrownBy(() -> new BgNbd(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
