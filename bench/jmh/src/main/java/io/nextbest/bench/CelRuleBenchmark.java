package io.nextbest.bench;

import io.nextbest.common.eligibility.CampaignSpec;
import io.nextbest.common.eligibility.CompiledCampaign;
import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.common.eligibility.EligibilityResult;
import io.nextbest.common.eligibility.EligibilitySettings;
import io.nextbest.common.rules.ProfileRules;
import io.nextbest.events.ProfileSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CEL rule evaluation per rule per profile (target ≤ 5 µs), and a whole real-time eligibility
 * evaluation over 100 campaigns.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CelRuleBenchmark {
  static final String[] RULES = {
    "features.purchaseCount >= 1 && predictions.churnRisk < 0.8",
    "'tea' in features.topCategories",
    "predictions.clv12m > 200.0 || 'high-value' in segments",
    "features.daysToBirthday <= 7 && 'high-value' in segments"
        + " && features.daysSinceLastEngagement >= 30",
    "has(attributes.country) && attributes.country in ['GB', 'FR', 'ES']",
  };

  @Param({"0", "1", "2", "3", "4"})
  int rule;

  ProfileRules.Rule compiled;
  Map<String, Object> variables;
  ProfileSnapshot profile;
  EligibilityEngine.Rules hundred;

  @Setup
  public void setup() {
    profile =
        new ProfileSnapshot(
            "c:1",
            ProfileSnapshot.TYPE,
            "c",
            Instant.now(),
            1,
            Map.of("country", "GB", "timezone", "Europe/London"),
            Map.of(
                "purchaseCount", 4,
                "topCategories", List.of("tea", "cups"),
                "daysSinceLastEngagement", 40,
                "daysToBirthday", 5),
            Map.of("churnRisk", 0.3, "clv12m", 250.0, "probabilityAlive", 0.8),
            Map.of("email", Map.of("granted", true)),
            List.of("high-value"), null);
    compiled = ProfileRules.compileForMoments("rule", RULES[rule]);
    variables =
        ProfileRules.momentVariables(
            ProfileRules.variables(profile), Map.of(), Map.of("placement", "home-hero"));
    List<CompiledCampaign> campaigns = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      List<String> channels = i % 2 == 0 ? List.of("web") : List.of("email");
      campaigns.add(
          CompiledCampaign.compile(
              new CampaignSpec(
                      "c" + i, "C" + i, null, null, null, channels,
                      i % 2 == 0 ? "slot-" + (i % 7) : null, null, null, null, i, null,
                      RULES[i % RULES.length], null, null,
                      i % 3 == 0 ? new CampaignSpec.Cap(2, 14) : null, null)
                  .normalized(null),
              1));
    }
    hundred =
        new EligibilityEngine.Rules(
            campaigns,
            new EligibilitySettings(
                5.0, "salt", null, "UTC", Map.of(),
                List.of(new EligibilitySettings.ChannelCap("email", 3, 7))));
  }

  /** One rule over one profile's prepared variables. */
  @Benchmark
  public boolean evaluateRule() {
    return compiled.test(variables);
  }

  /** Preparing a profile's variables (done once per evaluation, shared by all rules). */
  @Benchmark
  public Map<String, Object> prepareVariables() {
    return ProfileRules.variables(profile);
  }

  /** A whole real-time evaluation: 100 campaigns, exclusions, reasons. */
  @Benchmark
  public EligibilityResult evaluateHundredCampaigns() {
    return EligibilityEngine.evaluate(
        hundred,
        new EligibilityEngine.Request(
            "c", profile, null, null, null, Instant.now(), EligibilityEngine.Mode.REALTIME, null),
        EligibilityEngine.Facts.NONE);
  }
}
