package io.nextbest.decision.learning;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.events.Moment.EligibleCampaign;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.FeatureEncoder;
import io.nextbest.models.policy.FeatureSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class ReplayTest {
  private static final FeatureEncoder ENCODER = new FeatureEncoder(FeatureSchema.defaults());

  /** The policy part of a logged decision's features, as the decision log holds it. */
  private static final String LOGGED =
      """
      {"rule": "thompson", "modelVersion": 3, "probabilities": {"a": 0.5, "b": 0.3, "none": 0.2},
       "priorities": {"a": 1}, "controls": ["b"], "channels": {"a": "web", "b": "email"},
       "attributes": {"b": {"category": "Tea", "discountDepth": 40.0, "tags": ["promo"]}},
       "windowDays": 7, "remainingValue": 12.5, "upliftMean": 0.1, "upliftSd": 0.2,
       "runnerUp": "none", "runnerUpUplift": 0.0, "shadow": null,
       "sendAt": "2026-12-01T10:00:00Z"}
      """;

  private static JsonArray shared() {
    return new JsonArray(Collections.nCopies(ENCODER.sharedDimension(), 0.0));
  }

  @Test
  void rebuildsEveryCandidateFromTheLoggedExplanation() {
    Replay replay =
        Replay.of(
            ENCODER,
            ENCODER.id(),
            shared(),
            null,
            new JsonObject(LOGGED),
            "[\"a\", \"b\"]",
            "b",
            false);

    assertThat(replay.arms())
        .extracting(DecisionPolicy.Arm::campaign)
        .containsExactly(
            new EligibleCampaign("a", 1, "web", null, false),
            new EligibleCampaign("b", null, "email", null, true));
    assertThat(replay.action()).isEqualTo("b");
    assertThat(replay.actionTokens())
        .containsExactly("channel:email", "category:tea", "discount:high", "tag:promo");
    assertThat(replay.policy().remainingValue()).isEqualTo(12.5);
    assertThat(replay.policy().windowDays()).isEqualTo(7);
  }

  @Test
  void aDecisionLoggedWithoutExplanationHasCandidatesWithoutPriorities() {
    Replay replay = Replay.of(ENCODER, ENCODER.id(), shared(), null, null, "[\"a\"]", null, false);

    assertThat(replay.arms())
        .extracting(DecisionPolicy.Arm::campaign)
        .containsExactly(new EligibleCampaign("a", null, null, null, false));
    assertThat(replay.action()).isEqualTo("none");
    assertThat(replay.policy()).isNull();
  }

  @Test
  void anotherEncodersDecisionIsNotReplayed() {
    assertThat(
            Replay.of(
                ENCODER, "f0-old", shared(), null, new JsonObject(LOGGED), "[\"a\"]", "a", false))
        .isNull();
  }
}
