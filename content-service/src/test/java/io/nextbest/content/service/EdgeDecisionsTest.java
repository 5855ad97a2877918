package io.nextbest.content.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.eligibility.CampaignSpec;
import io.nextbest.common.eligibility.EligibilityResult;
import io.nextbest.events.ExclusionCode;
import io.nextbest.events.Moment.EligibleCampaign;
import io.nextbest.models.policy.CampaignAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The candidates the edge decides among, as decision-service takes them from eligibility-service.
 */
class EdgeDecisionsTest {
  @Test
  void onlyManualCampaignsKeepTheirPriorityAndAttributesTravelWithTheCandidates() {
    var result =
        new EligibilityResult(
            "c-1",
            3,
            false,
            List.of(
                new EligibilityResult.Eligible(
                    "vip", "VIP", "manual", 90, "email", null, "revenue", false, null),
                new EligibilityResult.Eligible(
                    "sale",
                    "Sale",
                    "auto",
                    50,
                    "web",
                    "home-hero",
                    "conversion",
                    true,
                    new CampaignSpec.Attributes("garden", 20.0, List.of("spring"))),
                new EligibilityResult.Eligible(
                    "unset", "Unset", null, 10, "push", null, "visits", false, null)),
            List.of());
    List<EligibleCampaign> out = new ArrayList<>();
    Map<String, CampaignAttributes> attributes = new HashMap<>();

    boolean globalControl = EdgeDecisions.candidates(result, out, attributes);

    assertThat(globalControl).isFalse();
    assertThat(out)
        .containsExactly(
            new EligibleCampaign("vip", 90, "email", null, false),
            new EligibleCampaign("sale", null, "web", "home-hero", true),
            new EligibleCampaign("unset", null, "push", null, false));
    assertThat(attributes)
        .containsOnlyKeys("sale")
        .containsEntry("sale", new CampaignAttributes("garden", 20.0, List.of("spring")));
  }

  @Test
  void aCustomerOfTheGlobalControlGroupIsLoggedAgainstTheCampaignsHeldBack() {
    var result =
        new EligibilityResult(
            "c-1",
            3,
            true,
            List.of(),
            List.of(
                new EligibilityResult.Exclusion("sale", ExclusionCode.GLOBAL_CONTROL, "held out"),
                new EligibilityResult.Exclusion("vip", ExclusionCode.FREQUENCY_CAP, "capped")));
    List<EligibleCampaign> out = new ArrayList<>();

    assertThat(EdgeDecisions.candidates(result, out, new HashMap<>())).isTrue();
    assertThat(out).containsExactly(new EligibleCampaign("sale", null, null, null, true));

    List<EligibleCampaign> none = new ArrayList<>();
    var nothingHeld =
        new EligibilityResult(
            "c-1",
            3,
            true,
            List.of(),
            List.of(new EligibilityResult.Exclusion("vip", ExclusionCode.FREQUENCY_CAP, "capped")));
    assertThat(EdgeDecisions.candidates(nothingHeld, none, new HashMap<>())).isFalse();
    assertThat(none).isEmpty();
  }
}
