package io.nextbest.eligibility.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.common.eligibility.EligibilityResult;
import io.nextbest.events.ExclusionCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationCountsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EvaluationCounts counts = new EvaluationCounts(registry);

  private static EligibilityResult.Eligible eligible(String id) {
    return new EligibilityResult.Eligible(
        id, id, "auto", null, "email", null, "conversion", false, null);
  }

  private static EligibilityResult.Exclusion excluded(String id, ExclusionCode code) {
    return new EligibilityResult.Exclusion(id, code, "because");
  }

  private double evaluations(String mode, String outcome) {
    return registry
        .get(EvaluationCounts.EVALUATIONS)
        .tag("mode", mode)
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  private double exclusions(String mode, ExclusionCode code) {
    return registry
        .get(EvaluationCounts.EXCLUSIONS)
        .tag("mode", mode)
        .tag("code", code.name())
        .counter()
        .count();
  }

  @Test
  void countsEachExclusionByItsCodeAndTheOutcomeOnce() {
    counts.counted(
        EligibilityEngine.Mode.EVENT,
        new EligibilityResult(
            "c-1",
            3,
            false,
            List.of(eligible("a")),
            List.of(
                excluded("b", ExclusionCode.FREQUENCY_CAP),
                excluded("c", ExclusionCode.FREQUENCY_CAP),
                excluded("d", ExclusionCode.RULE_NOT_MET))));

    assertThat(evaluations("event", "eligible")).isEqualTo(1);
    assertThat(exclusions("event", ExclusionCode.FREQUENCY_CAP)).isEqualTo(2);
    assertThat(exclusions("event", ExclusionCode.RULE_NOT_MET)).isEqualTo(1);
    assertThat(exclusions("realtime", ExclusionCode.FREQUENCY_CAP)).isZero();
  }

  @Test
  void aHeldOutCustomerIsCountedAsGlobalControlAndNothingEligibleAsNone() {
    counts.counted(
        EligibilityEngine.Mode.REALTIME,
        new EligibilityResult(
            "c-1", 0, true, List.of(), List.of(excluded("a", ExclusionCode.GLOBAL_CONTROL))));
    counts.counted(
        EligibilityEngine.Mode.REALTIME, new EligibilityResult("c-2", 0, false, List.of(), null));

    assertThat(evaluations("realtime", "global-control")).isEqualTo(1);
    assertThat(evaluations("realtime", "none")).isEqualTo(1);
    assertThat(exclusions("realtime", ExclusionCode.GLOBAL_CONTROL)).isEqualTo(1);
  }

  @Test
  void everySeriesExistsAtZeroBeforeTheFirstEvaluation() {
    assertThat(registry.find(EvaluationCounts.EXCLUSIONS).counters())
        .hasSize(ExclusionCode.values().length * EligibilityEngine.Mode.values().length);
    assertThat(registry.find(EvaluationCounts.EVALUATIONS).counters())
        .hasSize(3 * EligibilityEngine.Mode.values().length)
        .allSatisfy(c -> assertThat(c.count()).isZero());
  }

  @Test
  void noCustomerIdBecomesATag() {
    counts.counted(
        EligibilityEngine.Mode.SWEEP,
        new EligibilityResult(
            "customer-42", 1, false, List.of(), List.of(excluded("a", ExclusionCode.ENDED))));

    assertThat(registry.getMeters())
        .allSatisfy(
            m ->
                assertThat(m.getId().getTags())
                    .noneSatisfy(t -> assertThat(t.getValue()).contains("customer")));
  }
}
