package io.nextbest.profile.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.models.clv.BgNbd;
import io.nextbest.models.clv.BgNbdFitter;
import io.nextbest.models.clv.GammaGamma;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fits both models on the real CDNOW sample (calibration 1997-01-01..1997-09-30) and compares with
 * the published estimates of Fader, Hardie &amp; Lee (2005) and Fader &amp; Hardie (2013), to the
 * precision they were published with.
 */
class CdnowReferenceFitTest {
  static PurchaseHistories.Split split;

  @BeforeAll
  static void read() throws Exception {
    PurchaseHistories h = SharedData.cdnowSample();
    split = h.split(LocalDate.of(1997, 9, 30), LocalDate.of(1998, 6, 30));
  }

  @Test
  void summaryMatchesThePublishedCalibrationData() {
    assertThat(split.rfm().customers()).isEqualTo(2357);
    long repeats = 0;
    for (int i = 0; i < split.rfm().size(); i++) {
      repeats += split.rfm().x(i);
    }
    assertThat(repeats).isEqualTo(2457);
    assertThat(split.repeatCounts()).hasSize(946);
    assertThat(split.holdoutPurchases()).isEqualTo(1882);
  }

  @Test
  void bgNbdReproducesFaderHardieLee2005() {
    BgNbdFitter.Fit fit = BgNbdFitter.fit(split.rfm());
    assertThat(fit.model().r()).isCloseTo(0.243, within(0.0005));
    assertThat(fit.model().alpha()).isCloseTo(4.414, within(0.0005));
    assertThat(fit.model().a()).isCloseTo(0.793, within(0.0005));
    assertThat(fit.model().b()).isCloseTo(2.426, within(0.0005));
    assertThat(fit.logLikelihood()).isCloseTo(-9582.4, within(0.05));
  }

  @Test
  void gammaGammaReproducesFaderHardie2013() {
    GammaGamma.Fit fit = GammaGamma.fit(split.repeatCounts(), split.repeatMeans());
    assertThat(fit.model().p()).isCloseTo(6.25, within(0.005));
    assertThat(fit.model().q()).isCloseTo(3.74, within(0.005));
    assertThat(fit.model().gamma()).isCloseTo(15.44, within(0.005));
    assertThat(fit.logLikelihood()).isCloseTo(-4055.9177, within(0.01));
  }

  @Test
  void gammaGammaConditionalSpendMatchesHardieSpreadsheet() {
    // the spreadsheet uses the unrounded estimates, as our own fit does
    GammaGamma fitted = GammaGamma.fit(split.repeatCounts(), split.repeatMeans()).model();
    // customers 1..10 of cdnow_customers_summary_with_transactions.csv: (x, zbar)
    int[] x = {2, 1, 0, 0, 0, 7, 1, 0, 2, 0};
    double[] zbar = {22.35, 11.77, 0, 0, 0, 73.74, 11.77, 0, 25.55, 0};
    double[] expected = {24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17};
    for (int i = 0; i < x.length; i++) {
      assertThat(fitted.conditionalExpectedValue(x[i], zbar[i]))
          .isCloseTo(expected[i], within(0.01));
    }
  }

  @Test
  void holdoutPredictionIsCloseToWhatHappened() {
    BgNbd model = BgNbdFitter.fit(split.rfm()).model();
    double predicted = 0;
    for (PurchaseHistories.Summary s : split.summaries()) {
      predicted += model.conditionalExpectedPurchases(split.holdoutWeeks(), s.x(), s.tx(), s.T());
    }
    assertThat(split.holdoutWeeks()).isCloseTo(39, within(1e-9));
    // FHL 2005 Fig. 4: the model tracks the holdout, under-forecasting light buyers a little
    assertThat(predicted).isCloseTo(split.holdoutPurchases(), within(0.15 * 1882));
  }
}
