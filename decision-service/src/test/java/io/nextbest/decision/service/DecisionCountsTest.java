package io.nextbest.decision.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nextbest.events.Decision;
import io.nextbest.models.policy.Decider;
import io.nextbest.models.policy.DecisionPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionCountsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DecisionCounts counts = new DecisionCounts(registry);

  private static Decider.Decided decided(
      String momentId, String campaignId, boolean control, String version, String rule) {
    Decision d =
        new Decision(
            "d:1",
            Decision.TYPE,
            "c-1",
            Instant.EPOCH,
            momentId,
            campaignId,
            campaignId == null ? null : "email",
            null,
            1,
            version,
            control,
            List.of(),
            null);
    var result =
        new DecisionPolicy.Result(Optional.empty(), 1, rule, 0, 0, null, 0, null, Map.of());
    return new Decider.Decided(d, result, null, List.of());
  }

  private double decisions(String outcome, String rule, String source) {
    return registry
        .get(DecisionCounts.DECISIONS)
        .tag("outcome", outcome)
        .tag("rule", rule)
        .tag("source", source)
        .counter()
        .count();
  }

  @Test
  void countsEachDecisionByOutcomeRuleAndSource() {
    counts.published(decided(null, "spring-sale", false, "thompson-v3", "thompson"));
    counts.published(decided(null, "spring-sale", false, "thompson-v3", "thompson"));
    counts.published(decided("m-1", "spring-sale", true, "apprentice-v3", "apprentice"));
    counts.published(decided("m-2", null, false, "thompson-v3", "none"));

    assertThat(decisions("campaign", "thompson", "realtime")).isEqualTo(2);
    assertThat(decisions("control", "apprentice", "moment")).isEqualTo(1);
    assertThat(decisions("none", "none", "moment")).isEqualTo(1);
  }

  @Test
  void aGlobalControlCustomerIsHeldOut() {
    counts.published(decided("m-1", null, true, Decider.GLOBAL_CONTROL, Decider.GLOBAL_CONTROL));

    assertThat(decisions("held-out", "global-control", "moment")).isEqualTo(1);
  }

  @Test
  void anUnknownRuleIsCountedAsOtherSoTagsStayFew() {
    counts.published(decided(null, null, false, "v", "something-new"));

    assertThat(decisions("none", "other", "realtime")).isEqualTo(1);
  }

  @Test
  void fallbacksAreCountedByReasonAndVisibleAtZeroFromTheStart() {
    assertThat(
            registry
                .get(DecisionCounts.FALLBACKS)
                .tag("reason", DecisionCounts.CONTACTS_UNAVAILABLE)
                .counter()
                .count())
        .isZero();

    counts.fallback(DecisionCounts.PROFILE_UNAVAILABLE);
    counts.fallback(DecisionCounts.PROFILE_UNAVAILABLE, 3); // a batch of moments

    assertThat(
            registry
                .get(DecisionCounts.FALLBACKS)
                .tag("reason", DecisionCounts.PROFILE_UNAVAILABLE)
                .counter()
                .count())
        .isEqualTo(4);
  }
}
