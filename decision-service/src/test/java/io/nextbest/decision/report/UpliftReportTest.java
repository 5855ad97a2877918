package io.nextbest.decision.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.json.JsonSetup;
import io.nextbest.decision.domain.DecisionResponse;
import io.nextbest.models.policy.Stats;
import java.time.LocalDate;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class UpliftReportTest {
  private static final LocalDate DAY = LocalDate.parse("2026-11-01");

  private static TreeMap<LocalDate, UpliftReport.Totals> days(long decisions, long converted) {
    TreeMap<LocalDate, UpliftReport.Totals> out = new TreeMap<>();
    if (decisions > 0) {
      UpliftReport.Totals t = new UpliftReport.Totals();
      t.decisions = decisions;
      t.converted = converted;
      t.value = converted * 10.0;
      t.valueSquares = converted * 100.0;
      out.put(DAY, t);
    }
    return out;
  }

  @Test
  void conversionRateIntervalsStayWithinZeroAndOne() {
    for (long n = 1; n <= 200; n += 7) {
      for (long x = 0; x <= n; x += Math.max(1, n / 5)) {
        Stats.Interval r = UpliftReport.conversionRate(x, n);
        assertThat(r.low()).as("%d of %d", x, n).isBetween(0.0, r.value());
        assertThat(r.high()).as("%d of %d", x, n).isBetween(r.value(), 1.0);
      }
    }
    // 1 of 30: the normal interval went down to -0.031
    Stats.Interval one = UpliftReport.conversionRate(1, 30);
    assertThat(one.value()).isCloseTo(1 / 30.0, within(1e-12));
    assertThat(one.low()).isCloseTo(0.0059, within(1e-4));
    assertThat(one.high()).isCloseTo(0.1667, within(1e-4));
    assertThat(UpliftReport.conversionRate(0, 12).low()).isZero();
    assertThat(UpliftReport.conversionRate(12, 12).high()).isEqualTo(1.0);
  }

  @Test
  void withoutAControlGroupThereIsNoUpliftButAReason() {
    var c = UpliftReport.compare("spring", days(40, 8), days(0, 0), 40, 0, null, 0.02);
    assertThat(c.noControl()).isTrue();
    assertThat(c.uplift()).isNull();
    assertThat(c.reason()).contains("controlPercent");
    assertThat(c.treated().conversionRate().value()).isEqualTo(0.2);
    var programme = UpliftReport.compare(null, days(40, 8), days(0, 0), 40, 0, 0.05, 0.02);
    assertThat(programme.reason()).contains("global control");
  }

  @Test
  void withAControlGroupTheUpliftIsTreatedMinusControl() {
    var c = UpliftReport.compare("spring", days(100, 20), days(50, 5), 100, 50, 1 / 3.0, 0.02);
    assertThat(c.noControl()).isFalse();
    assertThat(c.reason()).isNull();
    assertThat(c.uplift().conversionRate().value()).isCloseTo(0.1, within(1e-12));
    assertThat(c.uplift().relativeConversionLift()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void aDecisionsUpliftIsNeverTheStringNaN() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    new JsonSetup().customize(mapper);
    assertThat(mapper.writeValueAsString(DecisionResponse.Uplift.of(0.5, Double.NaN)))
        .isEqualTo("{\"mean\":0.5,\"sd\":null}");
    assertThat(DecisionResponse.RunnerUp.of("none", Double.NEGATIVE_INFINITY).expectedUplift())
        .isNull();
  }
}
