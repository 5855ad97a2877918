package io.nextbest.eligibility.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.eligibility.CompiledCampaign;
import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.common.eligibility.EligibilityResult;
import io.nextbest.common.eligibility.EligibilitySettings;
import io.nextbest.common.eligibility.TestCampaign;
import io.nextbest.events.ProfileSnapshot;
import io.quarkus.runtime.configuration.MemorySize;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleResultsTest {
  private static final Instant NOW = Instant.parse("2026-02-02T10:00:00Z");
  private static final EligibilitySettings SETTINGS =
      new EligibilitySettings(0.0, "s", null, "UTC", Map.of(), List.of());

  private static CompiledCampaign campaign(String id, String rule) {
    return CompiledCampaign.compile(
        TestCampaign.of(id)
            .name(id)
            .channels(List.of("web"))
            .placement("home-hero")
            .priority(10)
            .rule(rule)
            .build()
            .normalized(null),
        1);
  }

  private static ProfileSnapshot profile(long version, Instant at, int purchases) {
    return new ProfileSnapshot(
        "c:" + version,
        ProfileSnapshot.TYPE,
        "c",
        at,
        version,
        Map.of(),
        Map.of("purchaseCount", purchases),
        Map.of(),
        Map.of(),
        List.of(),
        null);
  }

  private static boolean eligible(
      RuleResults results, List<CompiledCampaign> campaigns, ProfileSnapshot p, Instant now) {
    EligibilityResult r =
        EligibilityEngine.evaluate(
            new EligibilityEngine.Rules(campaigns, SETTINGS),
            new EligibilityEngine.Request(
                p.customerId(), p, null, null, null, now, EligibilityEngine.Mode.REALTIME, null),
            EligibilityEngine.Facts.NONE,
            results.of(campaigns, p));
    return r.eligible().stream().anyMatch(e -> e.id().equals(campaigns.get(0).spec().id()));
  }

  @Test
  void aKeptResultServesOnlyTheSnapshotAndTheCampaignItWasComputedFor() {
    RuleResults results = new RuleResults(new MemorySize(BigInteger.valueOf(32L << 20)));
    List<CompiledCampaign> buyers = List.of(campaign("buyers", "features.purchaseCount >= 1"));
    assertThat(eligible(results, buyers, profile(1, NOW, 0), NOW)).isFalse();
    assertThat(eligible(results, buyers, profile(1, NOW, 0), NOW)).isFalse();
    // the next version of the profile is evaluated afresh
    assertThat(eligible(results, buyers, profile(2, NOW.plusSeconds(5), 3), NOW)).isTrue();
    // a profile made again after an erasure starts at version 1 with another time
    assertThat(eligible(results, buyers, profile(1, NOW.plusSeconds(60), 2), NOW)).isTrue();
    // an edited campaign (a new compiled campaign in the same place) is evaluated afresh
    List<CompiledCampaign> edited = List.of(campaign("buyers", "features.purchaseCount >= 5"));
    assertThat(eligible(results, edited, profile(1, NOW.plusSeconds(60), 2), NOW)).isFalse();
    assertThat(results.size()).isEqualTo(1);
    results.forget("c");
    assertThat(results.size()).isZero();
  }

  @Test
  void aRuleThatReadsTheContextIsEvaluatedOnEveryRequest() {
    RuleResults results = new RuleResults(new MemorySize(BigInteger.valueOf(32L << 20)));
    List<CompiledCampaign> morning = List.of(campaign("morning", "context.localHour < 12"));
    ProfileSnapshot p = profile(1, NOW, 0);
    assertThat(eligible(results, morning, p, NOW)).isTrue(); // 10:00 UTC
    assertThat(eligible(results, morning, p, NOW.plusSeconds(4 * 3600))).isFalse();
  }

  @Test
  void aProfileOnlyRuleIsEvaluatedOncePerSnapshot() {
    RuleResults results = new RuleResults(new MemorySize(BigInteger.valueOf(32L << 20)));
    CompiledCampaign buyers = campaign("buyers", "features.purchaseCount >= 1");
    ProfileSnapshot p = profile(1, NOW, 3);
    RuleResults.Memo memo = results.of(List.of(buyers), p);
    Map<String, Object> holds = io.nextbest.common.rules.ProfileRules.variables(p);
    assertThat(memo.rule(0, buyers, holds)).isTrue();
    // served from the memo: variables under which the rule fails are not looked at again
    Map<String, Object> fails = io.nextbest.common.rules.ProfileRules.variables(profile(1, NOW, 0));
    assertThat(results.of(List.of(buyers), p).rule(0, buyers, fails)).isTrue();
    assertThat(results.of(List.of(buyers), p)).isSameAs(memo);
  }
}
