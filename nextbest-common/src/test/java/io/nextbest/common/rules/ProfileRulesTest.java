package io.nextbest.common.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.events.ProfileSnapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileRulesTest {
  private static ProfileSnapshot profile() {
    Map<String, Object> features = new LinkedHashMap<>();
    features.put("frequency", 4);
    features.put("monetary", new BigDecimal("310.50"));
    features.put("recencyDays", null);
    features.put("topCategories", List.of("shoes", "bags"));
    features.put("lastEventAt", Instant.parse("2026-01-02T03:04:05Z"));
    return new ProfileSnapshot(
        "p1:3",
        ProfileSnapshot.TYPE,
        "c-1",
        Instant.now(),
        3,
        Map.of("country", "DE", "birthdate", "1990-05-01"),
        features,
        Map.of("churnRisk", 0.62, "clv12m", 120.0),
        Map.of("email", Map.of("granted", true)),
        List.of("loyal"),
        null);
  }

  private static String error(String rule) {
    try {
      ProfileRules.compile("rule", rule);
    } catch (InvalidInputException e) {
      assertThat(e.errors()).hasSize(1);
      assertThat(e.errors().get(0).field()).isEqualTo("rule");
      return e.errors().get(0).message();
    }
    throw new AssertionError("accepted: " + rule);
  }

  @Test
  void rulesSeeEveryPartOfTheProfile() {
    ProfileSnapshot p = profile();
    assertThat(ProfileRules.compile("rule", "features.frequency >= 3").test(p)).isTrue();
    assertThat(ProfileRules.compile("rule", "features.frequency == 4").test(p)).isTrue();
    assertThat(ProfileRules.compile("rule", "features.monetary > 300.0").test(p)).isTrue();
    assertThat(ProfileRules.compile("rule", "features.monetary > 311").test(p)).isFalse();
    assertThat(ProfileRules.compile("rule", "'shoes' in features.topCategories").test(p)).isTrue();
    assertThat(
            ProfileRules.compile(
                    "rule", "predictions.churnRisk > 0.5 && attributes.country == 'DE'")
                .test(p))
        .isTrue();
    assertThat(ProfileRules.compile("rule", "consents.email.granted").test(p)).isTrue();
    assertThat(ProfileRules.compile("rule", "'loyal' in segments").test(p)).isTrue();
    assertThat(ProfileRules.compile("rule", "profile.customerId.startsWith('c-')").test(p))
        .isTrue();
    assertThat(ProfileRules.compile("rule", "features.lastEventAt.startsWith('2026')").test(p))
        .isTrue();
  }

  @Test
  void aMissingFieldDoesNotHold() {
    ProfileSnapshot p = profile();
    assertThat(ProfileRules.compile("rule", "features.recencyDays < 30").test(p)).isFalse();
    assertThat(ProfileRules.compile("rule", "!has(features.recencyDays)").test(p)).isTrue();
    assertThat(ProfileRules.compile("rule", "attributes.nope == 'x'").test(p)).isFalse();
  }

  @Test
  void badRulesAreRejectedWithThePosition() {
    assertThat(error("features.frequency >")).contains("column");
    assertThat(error("features.frequency + 1")).contains("bool");
    assertThat(error("unknownVar > 1")).contains("unknownVar");
    assertThat(error(" ")).isNotBlank();
    assertThat(error("true || ".repeat(2000) + "true")).isNotBlank();
    assertThat(error("(".repeat(200) + "true" + ")".repeat(200))).isNotBlank();
  }

  @Test
  void rulesAreCheckedAgainstTheDeclaredProfileShapeWhenSaved() {
    // both once validated and then held for no customer, silently
    assertThat(error("features.nope == 1")).contains("unknown field 'features.nope'");
    assertThat(error("profile.predictions.nope > 0.5"))
        .contains("unknown field 'predictions.nope'");
    assertThat(error("features.frequency > \"x\""))
        .contains("features.frequency is a number: compare it with a number, not a string");
    assertThat(error("'3' == features.purchaseCount")).contains("is a number");
    assertThat(error("features.lastEventAt > 5")).contains("is a text");
    assertThat(error("features.topCategories == 'shoes'")).contains("use 'in'");
    // a chain of concatenations of a long trait once held an event loop for seconds
    assertThat(error("size(" + "attributes.traits.b + ".repeat(40) + "'x') > 0"))
        .contains("at most 32 additions");
    // a loop inside a loop is over the evaluation budget; a loop over a list is not
    assertThat(
            error(
                "segments.exists(a, segments.exists(b, segments.exists(c, a + b + c =="
                    + " 'x')))"))
        .contains("evaluation steps, over the budget of 25000");
    ProfileRules.compile("rule", "segments.exists(s, s == 'vip' || s == 'loyal')");
    // what the shape allows still compiles, and has() may ask about anything
    ProfileRules.compile("rule", "has(features.nope) || features.frequency > 2");
    ProfileRules.compile("rule", "predictions.churnRisk > 0.5 && features.recencyDays <= 30");
  }

  @Test
  void rulesCannotReachJavaOrRunAway() {
    assertThat(error("java.lang.Runtime.getRuntime().exec('id') == null")).isNotBlank();
    // nested comprehensions (10^5 steps) are refused when saved, before any evaluation
    assertThat(
            error(
                "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10]"
                    + ".all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].exists(e, e >"
                    + " 0)))))"))
        .contains("over the budget");
    // one loop is fine, and holds
    assertThat(ProfileRules.compile("rule", "[1,2,3].exists(x, x > 2)").test(profile())).isTrue();
  }

  private static boolean profileOnly(String rule) {
    return ProfileRules.compileForMoments("rule", rule).profileOnly();
  }

  @Test
  void aRuleThatReadsTheEventOrTheContextIsNotProfileOnly() {
    assertThat(profileOnly("features.frequency >= 3")).isTrue();
    assertThat(profileOnly("'loyal' in segments && profile.version > 1")).isTrue();
    assertThat(profileOnly("features.frequency >= 3 && event.type == 'x'")).isFalse();
    assertThat(profileOnly("context.localHour < 9 || segments.size() > 2")).isFalse();
    assertThat(profileOnly("[1, 2].exists(x, x == context.localHour)")).isFalse();
  }
}
