package io.nextbest.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.events.Decision;
import io.nextbest.events.DecisionTrace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decision trace as decision-service publishes it, eligibility-service reads it with the
 * decision, the decision log stores it and the decision API shows it: the keys stay those of the
 * stored rows, absent keys stay absent.
 */
class DecisionTraceContractTest {
  private static final Instant AT = Instant.parse("2026-12-01T09:30:00.123456Z");

  /** A decision of the live policy for a real moment, nothing optional recorded. */
  static DecisionTrace bare() {
    return new DecisionTrace(
        "f2-abc",
        new double[] {1, 0, 0.5},
        Map.of("vs", List.of(0.5, 0.5)),
        null,
        List.of(),
        new DecisionTrace.Explanation(
            "thompson",
            9,
            Map.of("spring-sale", 0.75, "none", 0.25),
            Map.of(),
            List.of(),
            Map.of("spring-sale", "email"),
            Map.of(),
            7,
            null,
            0.5,
            0.125,
            null,
            0,
            null,
            null,
            null));
  }

  /** A simulated decision with everything recorded. */
  static DecisionTrace full() {
    return new DecisionTrace(
        "f2-abc",
        new double[] {1, 0.25},
        Map.of("price", 0.5),
        Map.of("page", "home", "device", "mobile"),
        List.of("context:cart"),
        new DecisionTrace.Explanation(
            "apprentice",
            12,
            Map.of("spring-sale", 0.6, "win-back", 0.3, "none", 0.1),
            Map.of("spring-sale", 1),
            List.of("win-back"),
            Map.of("spring-sale", "email", "win-back", "push"),
            Map.of("spring-sale", new DecisionTrace.Attributes("shoes", 20.0, List.of("promo"))),
            14,
            312.5,
            1.25,
            0.5,
            "win-back",
            0.75,
            "none",
            AT,
            "analyst@example.org"));
  }

  @Test
  void keysNothingWasRecordedForAreLeftOutAndNullsKept() throws Exception {
    JsonNode trace = ServiceJson.mapper().valueToTree(bare());

    assertThat(names(trace)).containsExactly("encoder", "x", "facts", "policy");
    assertThat(names(trace.get("policy")))
        .containsExactly(
            "rule",
            "modelVersion",
            "probabilities",
            "priorities",
            "controls",
            "channels",
            "windowDays",
            "remainingValue",
            "upliftMean",
            "upliftSd",
            "runnerUp",
            "runnerUpUplift",
            "shadow",
            "sendAt");
    assertThat(trace.get("policy").get("remainingValue").isNull()).isTrue();
    assertThat(trace.get("policy").get("sendAt").isNull()).isTrue();
  }

  @Test
  void everythingRecordedIsWrittenAsTheLogStoresIt() throws Exception {
    JsonNode trace = ServiceJson.mapper().valueToTree(full());

    assertThat(names(trace))
        .containsExactly("encoder", "x", "facts", "context", "ignored", "policy");
    JsonNode policy = trace.get("policy");
    assertThat(names(policy)).contains("attributes", "simulatedBy");
    assertThat(policy.get("sendAt").asText()).isEqualTo(AT.toString());
    assertThat(policy.get("attributes").get("spring-sale").get("category").asText())
        .isEqualTo("shoes");
    assertThat(policy.get("windowDays").intValue()).isEqualTo(14);
  }

  @Test
  void theDecisionReadsBackWithItsTrace() throws Exception {
    ObjectMapper mapper = ServiceJson.mapper();
    Decision published =
        new Decision(
            "d:m-1",
            Decision.TYPE,
            "c-1",
            AT,
            "m-1",
            "spring-sale",
            "email",
            null,
            0.6,
            "thompson-v3",
            false,
            List.of("spring-sale", "win-back"),
            full());
    String json = mapper.writeValueAsString(published);

    Decision read = mapper.readValue(json, Decision.class);

    assertThat(mapper.writeValueAsString(read)).isEqualTo(json);
    assertThat(read.features().policy().remainingValue()).isEqualTo(312.5);
    assertThat(read.features().policy().sendAt()).isEqualTo(AT);
  }

  @Test
  void aStoredRowReadsIntoTheTraceAndIsShownWithTheSameKeys() throws Exception {
    ObjectMapper mapper = ServiceJson.mapper();
    // a stored row's features as the log holds them, with a key a later version might add
    String stored =
        """
        {"encoder": "f2-abc", "x": [1.0, 0.0], "facts": {"ch": {"email": [1, 0, 0, -1, 0, 0]}},
         "context": {"page": "home"}, "ignored": ["context:cart"],
         "policy": {"rule": "manual", "modelVersion": 4, "probabilities": {"a": 1.0},
                    "priorities": {"a": 1}, "controls": [], "channels": {"a": "web"},
                    "attributes": {"a": {"category": "tea", "discountDepth": null, "tags": []}},
                    "windowDays": 7, "remainingValue": null, "upliftMean": 0.0, "upliftSd": 0.0,
                    "runnerUp": "none", "runnerUpUplift": 0.0, "shadow": null,
                    "sendAt": "2026-12-01T10:00:00Z", "simulatedBy": "ops", "later": true},
         "later": 1}
        """;

    DecisionTrace trace = mapper.readValue(stored, DecisionTrace.class);

    assertThat(trace.policy().priorities()).isEqualTo(Map.of("a", 1));
    assertThat(trace.policy().attributes().get("a").category()).isEqualTo("tea");
    assertThat(trace.policy().simulatedBy()).isEqualTo("ops");
    JsonNode expected = mapper.readTree(stored);
    ((ObjectNode) expected).remove("later");
    ((ObjectNode) expected.get("policy")).remove("later");
    assertThat(mapper.valueToTree(trace).toString()).isEqualTo(expected.toString());
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
