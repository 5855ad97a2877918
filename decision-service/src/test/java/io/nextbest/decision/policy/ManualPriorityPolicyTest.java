package io.nextbest.decision.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.events.Moment.EligibleCampaign;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualPriorityPolicyTest {

  private static EligibleCampaign c(String id, Integer priority) {
    return new EligibleCampaign(id, priority, "web", "home-hero");
  }

  @Test
  void choosesHighestManualPriority() {
    assertThat(ManualPriorityPolicy.choose(List.of(c("low", 1), c("high", 90), c("mid", 50))))
        .map(EligibleCampaign::campaignId)
        .contains("high");
  }

  @Test
  void manualPriorityBeatsAutoAndTiesBreakById() {
    assertThat(ManualPriorityPolicy.choose(List.of(c("auto", null), c("b", 5), c("a", 5))))
        .map(EligibleCampaign::campaignId)
        .contains("a");
  }

  @Test
  void choosesNoneWhenNothingIsEligible() {
    assertThat(ManualPriorityPolicy.choose(List.of())).isEmpty();
    assertThat(ManualPriorityPolicy.propensity()).isEqualTo(1.0);
  }
}
