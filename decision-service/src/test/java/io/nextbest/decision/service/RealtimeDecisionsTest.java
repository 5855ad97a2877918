package io.nextbest.decision.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.decision.client.EligibilityClient;
import io.nextbest.events.Moment;
import io.nextbest.events.Moment.EligibleCampaign;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class RealtimeDecisionsTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void heldOutCampaignsAreReadFromTheExclusionCodeNotItsWords() throws Exception {
    EligibilityClient.Answer answer =
        json.readValue(
            """
            {"customerId": "c1", "globalControl": true, "eligible": [], "excluded": [
              {"campaignId": "held", "code": "GLOBAL_CONTROL", "reason": "global control group (5% held out)"},
              {"campaignId": "rule", "code": "RULE_NOT_MET", "reason": "global control group lookalike rule"},
              {"campaignId": "reworded", "code": "GLOBAL_CONTROL", "reason": "held out of everything"},
              {"campaignId": "later", "code": "SOME_FUTURE_CODE", "reason": "a reason added later"}]}
            """,
            EligibilityClient.Answer.class);

    RealtimeDecisions.Candidates all =
        RealtimeDecisions.fromEligibility(answer, null, new HashMap<>());
    assertThat(all.globalControl()).isTrue();
    assertThat(all.campaigns())
        .extracting(EligibleCampaign::campaignId)
        .containsExactly("held", "reworded");
    assertThat(all.campaigns()).allMatch(EligibleCampaign::control);

    // restricted to campaigns none of which was held out: an ordinary moment without candidates
    var restricted =
        RealtimeDecisions.fromEligibility(answer, java.util.List.of("rule"), new HashMap<>());
    assertThat(restricted.campaigns()).isEmpty();
    assertThat(restricted.globalControl()).isFalse();
  }

  @Test
  void eligibilitysExclusionsAreKeptForTheDecisionAtMostFiftyWithReasonsCut() {
    List<EligibilityClient.Exclusion> excluded = new ArrayList<>();
    excluded.add(new EligibilityClient.Exclusion("capped", "FREQUENCY_CAP", "x".repeat(500)));
    for (int i = 0; i < 80; i++) {
      excluded.add(new EligibilityClient.Exclusion("rule-" + i, "RULE_NOT_MET", "rule fails"));
    }
    EligibilityClient.Answer answer =
        new EligibilityClient.Answer(
            "c1",
            false,
            List.of(
                new EligibilityClient.Eligible("spring", "auto", null, "email", null, false, null)),
            excluded);

    RealtimeDecisions.Candidates c =
        RealtimeDecisions.fromEligibility(answer, null, new HashMap<>());

    assertThat(c.excluded()).hasSize(Moment.Exclusion.MAX);
    assertThat(c.excluded().get(0).campaignId()).isEqualTo("capped");
    assertThat(c.excluded().get(0).code()).isEqualTo("FREQUENCY_CAP");
    assertThat(c.excluded().get(0).reason()).hasSize(Moment.Exclusion.MAX_REASON);
    assertThat(c.excluded().get(49))
        .isEqualTo(new Moment.Exclusion("rule-48", "RULE_NOT_MET", "rule fails"));
  }
}
