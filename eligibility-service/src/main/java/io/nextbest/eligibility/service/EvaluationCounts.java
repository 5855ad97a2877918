package io.nextbest.eligibility.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.common.eligibility.EligibilityResult;
import io.nextbest.events.ExclusionCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts what eligibility answers, for operators: {@code nextbest_eligibility_evaluations_total} by
 * request mode and outcome (a campaign eligible, none, the customer held out in the global control
 * group) and {@code nextbest_eligibility_exclusions_total} by mode and {@link ExclusionCode}, one
 * per excluded campaign. Dry runs are not counted. Every series exists from the start (at zero), so
 * a rate can be taken before the first request.
 */
@ApplicationScoped
public class EvaluationCounts {
  /** Counter of evaluations. */
  public static final String EVALUATIONS = "nextbest.eligibility.evaluations";

  /** Counter of excluded campaigns. */
  public static final String EXCLUSIONS = "nextbest.eligibility.exclusions";

  /** What an evaluation found for its customer. */
  enum Outcome {
    ELIGIBLE,
    NONE,
    GLOBAL_CONTROL;

    String tag() {
      return tagOf(name());
    }

    static Outcome of(EligibilityResult r) {
      if (r.globalControl()) {
        return GLOBAL_CONTROL;
      }
      return r.eligible() == null || r.eligible().isEmpty() ? NONE : ELIGIBLE;
    }
  }

  private final Map<EligibilityEngine.Mode, Map<Outcome, Counter>> evaluations =
      new EnumMap<>(EligibilityEngine.Mode.class);
  private final Map<EligibilityEngine.Mode, Map<ExclusionCode, Counter>> exclusions =
      new EnumMap<>(EligibilityEngine.Mode.class);

  public EvaluationCounts(MeterRegistry registry) {
    for (EligibilityEngine.Mode mode : EligibilityEngine.Mode.values()) {
      Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
      for (Outcome o : Outcome.values()) {
        byOutcome.put(
            o,
            Counter.builder(EVALUATIONS)
                .description("eligibility evaluations by request mode and outcome")
                .tag("mode", tagOf(mode.name()))
                .tag("outcome", o.tag())
                .register(registry));
      }
      evaluations.put(mode, byOutcome);
      Map<ExclusionCode, Counter> byCode = new EnumMap<>(ExclusionCode.class);
      for (ExclusionCode code : ExclusionCode.values()) {
        byCode.put(
            code,
            Counter.builder(EXCLUSIONS)
                .description("campaigns excluded for a customer, by request mode and reason code")
                .tag("mode", tagOf(mode.name()))
                .tag("code", code.name())
                .register(registry));
      }
      exclusions.put(mode, byCode);
    }
  }

  /** Counts one evaluation's outcome and its exclusions (a null mode counts as real-time). */
  public void counted(EligibilityEngine.Mode mode, EligibilityResult result) {
    EligibilityEngine.Mode m = mode == null ? EligibilityEngine.Mode.REALTIME : mode;
    evaluations.get(m).get(Outcome.of(result)).increment();
    if (result.excluded() == null) {
      return;
    }
    Map<ExclusionCode, Counter> byCode = exclusions.get(m);
    for (EligibilityResult.Exclusion x : result.excluded()) {
      if (x.code() != null) {
        byCode.get(x.code()).increment();
      }
    }
  }

  private static String tagOf(String constant) {
    return constant.toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
