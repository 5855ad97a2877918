package io.nextbest.models.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** A one-time buyer's P(alive) and value fall with the time since their only purchase. */
class OneTimeBuyerTest {
  private static final BgNbd CDNOW = new BgNbd(0.243, 4.414, 0.793, 2.426);
  private static final ClvModel MODEL =
      new ClvModel(1, null, 0, CDNOW, new GammaGamma(6.25, 3.74, 15.44));

  @Test
  void aOneTimeBuyerLongQuietIsLessLikelyAliveThanARecentOne() {
    double recent = CDNOW.probabilityActive(0, 0, 1);
    double quiet = CDNOW.probabilityActive(0, 0, 52);
    assertThat(recent).isLessThan(1).isGreaterThan(quiet);
    // MBG/NBD's P(alive) for x = 0: 1 / (1 + a/b · ((α+T)/α)^r)
    double odds = 0.793 / 2.426 * Math.pow((4.414 + 52) / 4.414, 0.243);
    assertThat(quiet).isCloseTo(1 / (1 + odds), within(1e-12));
  }

  @Test
  void repeatBuyersKeepTheBgNbdProbability() {
    assertThat(CDNOW.probabilityActive(3, 20, 30)).isEqualTo(CDNOW.probabilityAlive(3, 20, 30));
  }

  @Test
  void aOneTimeBuyersExpectedValueIsWeighedByThatProbability() {
    var recent = CustomerPredictions.of(MODEL, 0, 0, 1, 0);
    var quiet = CustomerPredictions.of(MODEL, 0, 0, 52, 0);
    assertThat(quiet.probabilityAlive()).isLessThan(recent.probabilityAlive());
    assertThat(quiet.clv12m()).isLessThan(recent.clv12m());
    double unweighed = CDNOW.conditionalExpectedPurchases(30 / 7.0, 0, 0, 52);
    assertThat(quiet.expectedPurchases30d())
        .isCloseTo(quiet.probabilityAlive() * unweighed, within(1e-12));
  }
}
