package io.nextbest.decision.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.events.Decision;
import io.nextbest.events.DecisionTrace;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionLogRowTest {
  private static final Instant AT = Instant.parse("2026-11-24T02:40:11.123456789Z");

  static Decision decision(String campaignId) {
    return new Decision(
        "d:1",
        Decision.TYPE,
        "c-1",
        AT,
        "m:1",
        campaignId,
        "email",
        "home-hero",
        0.8125,
        "thompson-v3",
        false,
        List.of("spring-sale", "win-back"),
        null);
  }

  /** The decision's JSON with {@code features} replaced by any object (or null). */
  static String json(ObjectMapper mapper, String campaignId, Map<String, Object> features) {
    ObjectNode node = mapper.valueToTree(decision(campaignId));
    node.set("features", mapper.valueToTree(features));
    return node.toString();
  }

  static Map<String, Object> features() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("profile", Map.of("recency", 3, "segments", List.of("loyal"), "windowDays", 99));
    f.put("note", "a \"quoted\" } brace and ] bracket");
    f.put("policy", Map.of("mode", "live", "windowDays", 14, "nested", Map.of("windowDays", 1)));
    f.put("after", List.of(Map.of("x", 1)));
    return f;
  }

  @Test
  void readsEveryColumnAndCutsCandidatesAndFeaturesOutOfTheText() throws Exception {
    for (boolean isoDates : new boolean[] {true, false}) {
      ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
      mapper.configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, !isoDates);
      String json = json(mapper, "spring-sale", features());

      DecisionLogRow row = DecisionLogRow.parse(json);

      assertThat(row.id()).isEqualTo("d:1");
      assertThat(row.momentId()).isEqualTo("m:1");
      assertThat(row.customerId()).isEqualTo("c-1");
      assertThat(row.campaignId()).isEqualTo("spring-sale");
      assertThat(row.channel()).isEqualTo("email");
      assertThat(row.placement()).isEqualTo("home-hero");
      assertThat(row.propensity()).isEqualTo(0.8125);
      assertThat(row.policyVersion()).isEqualTo("thompson-v3");
      assertThat(row.control()).isFalse();
      assertThat(row.decidedAt()).as("dates as ISO text: " + isoDates).isEqualTo(AT);
      assertThat(row.windowDays()).as("only policy.windowDays counts").isEqualTo(14);
      assertThat(mapper.readTree(row.candidates()))
          .isEqualTo(mapper.valueToTree(List.of("spring-sale", "win-back")));
      JsonNode features = mapper.readTree(row.features());
      assertThat(features).isEqualTo(mapper.valueToTree(features()));
    }
  }

  @Test
  void readsTheWindowOfThePublishedTrace() throws Exception {
    ObjectMapper mapper =
        new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    DecisionTrace.Explanation explanation =
        new DecisionTrace.Explanation(
            "thompson",
            3,
            Map.of("spring-sale", 0.75, "none", 0.25),
            Map.of(),
            List.of(),
            Map.of("spring-sale", "email"),
            null,
            21,
            null,
            0.5,
            0.1,
            "none",
            0,
            null,
            AT,
            null);
    DecisionTrace trace =
        new DecisionTrace("f2-abc", new double[] {1, 0}, Map.of(), null, null, explanation);
    Decision d = decision("spring-sale");
    String json =
        mapper.writeValueAsString(
            new Decision(
                d.id(),
                d.type(),
                d.customerId(),
                d.occurredAt(),
                d.momentId(),
                d.campaignId(),
                d.channel(),
                d.placement(),
                d.propensity(),
                d.policyVersion(),
                d.control(),
                d.candidates(),
                trace));

    DecisionLogRow row = DecisionLogRow.parse(json);

    assertThat(row.windowDays()).isEqualTo(21);
    assertThat(mapper.readTree(row.features()))
        .isEqualTo(mapper.readTree(mapper.writeValueAsString(trace)));
  }

  @Test
  void aDecisionOfNoneWithoutFeaturesHasTheDefaultWindow() throws Exception {
    String json = new ObjectMapper().findAndRegisterModules().writeValueAsString(decision(null));

    DecisionLogRow row = DecisionLogRow.parse(json);

    assertThat(row.campaignId()).isNull();
    assertThat(row.features()).isEqualTo("{}");
    assertThat(row.windowDays()).isEqualTo(7);
  }

  @Test
  void recordsThatAreNotDecisionsAreRefused() {
    for (String bad :
        List.of(
            "[]",
            "{\"id\":\"d\"}",
            "{\"id\":\"d\",\"customerId\":\"c\",\"occurredAt\":\"yesterday\","
                + "\"policyVersion\":\"v\",\"propensity\":1}",
            "{\"id\":1,\"customerId\":\"c\"}",
            "{\"id\":\"d\",\"customerId\":\"c\",\"occurredAt\":\"2026-11-24T00:00:00Z\","
                + "\"policyVersion\":\"v\",\"propensity\":0.5,\"features\":[1]}",
            "{\"id\":\"d\",\"customerId\":",
            "not json")) {
      assertThatThrownBy(() -> DecisionLogRow.parse(bad))
          .as(bad)
          .isInstanceOf(DecisionLogRow.Unreadable.class);
    }
  }

  @Test
  void theRuleSaysHowTheDecisionWasMade() {
    Map<String, Integer> ranks = Map.of("top", 9, "other", 9, "low", 1);
    assertThat(DecisionLogRow.rule(true, "thompson-v3", "a", "thompson", false, Map.of()))
        .isEqualTo("control");
    assertThat(
            DecisionLogRow.rule(false, "global-control", null, "global-control", false, Map.of()))
        .isEqualTo("control");
    assertThat(DecisionLogRow.rule(false, "thompson-v3", "a", "thompson", false, Map.of()))
        .isEqualTo("model");
    assertThat(DecisionLogRow.rule(false, "thompson-v3", "a", "thompson", true, Map.of()))
        .isEqualTo("exploration");
    assertThat(DecisionLogRow.rule(false, "manual-priority-1", "top", "manual", false, ranks))
        .isEqualTo("manual");
    // apprentice mode: the marketer's top rank is manual, anything else (none too) exploration
    assertThat(DecisionLogRow.rule(false, "apprentice-v3", "other", "apprentice", false, ranks))
        .isEqualTo("manual");
    assertThat(DecisionLogRow.rule(false, "apprentice-v3", "low", "apprentice", false, ranks))
        .isEqualTo("exploration");
    assertThat(DecisionLogRow.rule(false, "apprentice-v3", null, "apprentice", false, ranks))
        .isEqualTo("exploration");
    assertThat(DecisionLogRow.rule(false, "apprentice-v3", "a", "apprentice", false, Map.of()))
        .isEqualTo("exploration");
    assertThat(DecisionLogRow.rule(false, "thompson-v3", null, "none", false, Map.of()))
        .isEqualTo("none");
  }

  @Test
  void theRuleIsReadFromThePublishedExplanation() throws Exception {
    ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("rule", "apprentice");
    policy.put("priorities", Map.of("spring-sale", 5, "win-back", 3));
    policy.put("windowDays", 14);
    DecisionLogRow top =
        DecisionLogRow.parse(json(mapper, "spring-sale", Map.of("policy", policy)));
    assertThat(top.rule()).isEqualTo("manual");
    assertThat(top.windowDays()).isEqualTo(14);
    DecisionLogRow off = DecisionLogRow.parse(json(mapper, "win-back", Map.of("policy", policy)));
    assertThat(off.rule()).isEqualTo("exploration");
    DecisionLogRow explored =
        DecisionLogRow.parse(
            json(
                mapper,
                "win-back",
                Map.of("policy", Map.of("rule", "thompson", "explored", true))));
    assertThat(explored.rule()).isEqualTo("exploration");
  }
}
