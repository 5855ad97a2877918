package io.nextbest.tools.decision.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  /** A ledger with one purchase per day worth the given values, and sends. */
  private static DailyLedger ledger(double[] values, int[] sends, int unsubscribes) {
    DailyLedger l = new DailyLedger(values.length);
    for (int d = 0; d < values.length; d++) {
      l.purchase(d, values[d], false);
      for (int s = 0; s < sends[d]; s++) {
        l.send(d);
      }
    }
    for (int u = 0; u < unsubscribes; u++) {
      l.unsubscribe(0);
    }
    return l;
  }

  private static Map<String, DailyLedger> ledgers() {
    Map<String, DailyLedger> m = new LinkedHashMap<>();
    m.put(Report.NONE, ledger(new double[] {10, 10, 10, 10}, new int[] {0, 0, 0, 0}, 0));
    m.put(Report.MANUAL, ledger(new double[] {10, 12, 15, 15}, new int[] {10, 10, 10, 10}, 3));
    m.put(Report.ORACLE, ledger(new double[] {10, 20, 30, 40}, new int[] {5, 5, 5, 5}, 1));
    m.put(Report.LIVE, ledger(new double[] {10, 10, 20, 30}, new int[] {2, 4, 6, 8}, 2));
    return m;
  }

  @Test
  void upliftIsValueOverNonePerCustomerPerMeasuredDay() {
    // 10 customers, days 2 and 3 measured
    Report r = Report.of(10, 2, ledgers());
    assertThat(r.row(Report.ORACLE).upliftPerCustomerDay()).isCloseTo(50.0 / 20, within(1e-12));
    assertThat(r.row(Report.MANUAL).upliftPerCustomerDay()).isCloseTo(10.0 / 20, within(1e-12));
    assertThat(r.row(Report.LIVE).upliftPerCustomerDay()).isCloseTo(30.0 / 20, within(1e-12));
    assertThat(r.row(Report.NONE).upliftPerCustomerDay()).isZero();
    assertThat(r.row(Report.LIVE).valuePerCustomerDay()).isCloseTo(50.0 / 20, within(1e-12));
  }

  @Test
  void ratiosAreAgainstManualAndTheOracle() {
    Report.Row live = Report.of(10, 2, ledgers()).row(Report.LIVE);
    assertThat(live.timesManual()).isCloseTo(3.0, within(1e-12));
    assertThat(live.shareOfOracle()).isCloseTo(0.6, within(1e-12));
  }

  @Test
  void sendsAndUnsubscribesAreCounted() {
    Report.Row live = Report.of(10, 2, ledgers()).row(Report.LIVE);
    assertThat(live.sendsPerCustomerDay()).isCloseTo(14.0 / 20, within(1e-12));
    assertThat(live.unsubscribes()).isEqualTo(2);
  }

  @Test
  void cumulativeUpliftAddsUpFromDayZero() {
    Report.Row oracle = Report.of(10, 2, ledgers()).row(Report.ORACLE);
    assertThat(oracle.cumulativeUplift()).containsExactly(0, 1, 3, 6);
  }

  @Test
  void ratiosAreLeftOutWhenTheReferenceIsNotPositive() {
    Map<String, DailyLedger> m = new LinkedHashMap<>();
    m.put(Report.NONE, ledger(new double[] {10, 10}, new int[] {0, 0}, 0));
    m.put(Report.MANUAL, ledger(new double[] {10, 8}, new int[] {1, 1}, 0));
    m.put(Report.LIVE, ledger(new double[] {10, 12}, new int[] {1, 1}, 0));
    Report.Row live = Report.of(1, 1, m).row(Report.LIVE);
    assertThat(live.timesManual()).isNull();
    assertThat(live.shareOfOracle()).isNull();
    assertThat(Report.of(1, 1, m).markdown())
        .contains("| NextBest (live system) | +2.0000 | – | – |");
  }

  @Test
  void noneIsRequiredAsTheReference() {
    Map<String, DailyLedger> m = new LinkedHashMap<>();
    m.put(Report.MANUAL, ledger(new double[] {10, 8}, new int[] {1, 1}, 0));
    assertThatThrownBy(() -> Report.of(1, 1, m)).hasMessageContaining("none");
  }

  @Test
  void markdownHasARowPerPolicyInOrder() {
    String md = Report.of(10, 2, ledgers()).markdown();
    assertThat(md)
        .contains("| policy | uplift per customer per day | × manual | share of oracle")
        .contains("| oracle | +2.5000 | 5.00× | 100% | 0.500 | 1 |")
        .contains("| NextBest (live system) | +1.5000 | 3.00× | 60% | 0.700 | 2 |");
    assertThat(md.indexOf("| none |")).isLessThan(md.indexOf("| manual priority |"));
  }
}
