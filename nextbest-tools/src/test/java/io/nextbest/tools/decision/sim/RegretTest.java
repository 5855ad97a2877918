package io.nextbest.tools.decision.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RegretTest {
  @Test
  void eachDecisionIsJudgedAgainstTheOraclesChoiceAtItsMoment() {
    Regret r = new Regret();
    r.record("shoes", 2.0, "shoes", 2.0); // agrees
    r.record(null, 0, null, 0); // agrees on none
    r.record("shoes", 2.0, null, 0); // a send missed
    r.record("shoes", 2.0, "bags", 0.5); // the wrong campaign
    r.record(null, 0, "bags", -0.3); // a send that loses

    assertThat(r.moments(Regret.Kind.AGREES)).isEqualTo(2);
    assertThat(r.lost(Regret.Kind.AGREES)).isZero();
    assertThat(r.lost(Regret.Kind.MISSED_SEND)).isCloseTo(2.0, within(1e-12));
    assertThat(r.lost(Regret.Kind.WRONG_CAMPAIGN)).isCloseTo(1.5, within(1e-12));
    assertThat(r.lost(Regret.Kind.NEEDLESS_SEND)).isCloseTo(0.3, within(1e-12));
    assertThat(r.lost()).isCloseTo(3.8, within(1e-12));
    assertThat(r.oracleValue()).isCloseTo(6.0, within(1e-12));

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> byChoice =
        (Map<String, Map<String, Object>>) r.toMap().get("byOracleChoice");
    assertThat(byChoice.get("shoes")).containsEntry("moments", 3L).containsEntry("agreed", 1L);
    assertThat(byChoice.get("none")).containsEntry("moments", 2L).containsEntry("agreed", 1L);
    assertThat(r.markdown(30, 90))
        .contains("days 30-89")
        .contains("63% of the oracle's value lost")
        .contains("| the oracle sends, the engine does not | 1 | 2 | 53% |")
        .contains("| shoes | 3 | 33% | 4 |");
  }

  @Test
  void beliefsAreAveragedPerCandidateAndDeviceNextToTheTruth() {
    Regret r = new Regret();
    r.believe("push", "mobile", -1.0, 0.5);
    r.believe("push", "mobile", -2.0, 1.5);
    r.believe("push", "desktop", 0.25, -1.0);

    assertThat(r.belief("push", "mobile")).containsExactly(-1.5, 1.0);
    assertThat(r.belief("push", "desktop")).containsExactly(0.25, -1.0);
    assertThat(r.belief("shoes", "mobile")).isNull();
    assertThat(r.markdown(30, 90))
        .contains("| push | desktop | 1 | +0.25 | -1.00 |")
        .contains("| push | mobile | 2 | -1.50 | +1.00 |");
  }
}
