package io.nextbest.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.content.client.DecisionClient;
import io.nextbest.decision.domain.DecisionRequest;
import io.nextbest.decision.domain.DecisionResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** content-service's {@link DecisionClient} and decision-service's decision API. */
class DecisionContractTest {

  @Test
  void answerCarriesTheChosenCampaignAndHowItWasChosen() throws Exception {
    DecisionResponse server =
        new DecisionResponse(
            "d:7f1",
            "spring-sale",
            "web",
            "home-hero",
            Instant.parse("2026-12-01T10:00:00Z"),
            0.75,
            "thompson-v3",
            false,
            "thompson",
            new DecisionResponse.Uplift(1.5, 0.25),
            new DecisionResponse.RunnerUp("none", 0.0),
            "win-back");

    DecisionClient.Answer client = ServiceJson.roundTrip(server, DecisionClient.Answer.class);

    assertThat(client)
        .isEqualTo(new DecisionClient.Answer("d:7f1", "spring-sale", false, "thompson"));
  }

  @Test
  void aHeldOutDecisionOfNoneReadsWithoutCampaign() throws Exception {
    DecisionResponse server =
        new DecisionResponse(
            "d:8a2",
            null,
            null,
            null,
            null,
            1.0,
            "global-control",
            true,
            "global-control",
            new DecisionResponse.Uplift(0.0, 0.0),
            null,
            null);

    DecisionClient.Answer client = ServiceJson.roundTrip(server, DecisionClient.Answer.class);

    assertThat(client).isEqualTo(new DecisionClient.Answer("d:8a2", null, true, "global-control"));
  }

  @Test
  void requestIsReadAsADecisionRequest() throws Exception {
    DecisionClient.Request client =
        new DecisionClient.Request("c-1", "home-hero", "web", Map.of("page", "home"));

    DecisionRequest server = ServiceJson.roundTrip(client, DecisionRequest.class);

    assertThat(server.customerId()).isEqualTo("c-1");
    assertThat(server.placement()).isEqualTo("home-hero");
    assertThat(server.channel()).isEqualTo("web");
    assertThat(server.context()).isEqualTo(Map.of("page", "home"));
    assertThat(server.candidates()).isNull();
    assertThat(server.candidateCampaignIds()).isNull();
    assertThat(server.at()).isNull();
  }

  @Test
  void requestWithoutContextIsReadAsADecisionRequest() throws Exception {
    DecisionRequest server =
        ServiceJson.roundTrip(
            new DecisionClient.Request("c-2", "sidebar", null, null), DecisionRequest.class);

    assertThat(server.customerId()).isEqualTo("c-2");
    assertThat(server.placement()).isEqualTo("sidebar");
    assertThat(server.channel()).isNull();
    assertThat(server.context()).isNull();
  }
}
