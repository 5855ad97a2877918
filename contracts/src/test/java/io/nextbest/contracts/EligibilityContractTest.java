package io.nextbest.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.eligibility.CampaignSpec;
import io.nextbest.common.eligibility.EligibilityResult;
import io.nextbest.common.eligibility.EligibilitySettings;
import io.nextbest.decision.client.EligibilityClient;
import io.nextbest.eligibility.rest.CampaignResource;
import io.nextbest.events.ExclusionCode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** decision-service's {@link EligibilityClient} records read eligibility-service's answers. */
class EligibilityContractTest {
  private static final Instant AT = Instant.parse("2026-12-01T09:30:00.123Z");

  @Test
  void answerCarriesEveryEligibleCampaignWithItsPriorityControlAndAttributes() throws Exception {
    EligibilityResult server =
        new EligibilityResult(
            "c-1",
            42,
            false,
            List.of(
                new EligibilityResult.Eligible(
                    "spring-sale",
                    "Spring sale",
                    "manual",
                    1,
                    "email",
                    "home-hero",
                    "revenue",
                    true,
                    new CampaignSpec.Attributes("shoes", 20.0, List.of("promo", "spring"))),
                new EligibilityResult.Eligible(
                    "win-back", "Win back", "auto", null, "push", null, "visits", false, null)),
            List.of());

    EligibilityClient.Answer client = ServiceJson.roundTrip(server, EligibilityClient.Answer.class);

    assertThat(client.customerId()).isEqualTo("c-1");
    assertThat(client.globalControl()).isFalse();
    assertThat(client.excluded()).isEmpty();
    assertThat(client.eligible()).hasSize(2);
    EligibilityClient.Eligible manual = client.eligible().get(0);
    assertThat(manual.id()).isEqualTo("spring-sale");
    assertThat(manual.priorityMode()).isEqualTo("manual");
    assertThat(manual.priority()).isEqualTo(1);
    assertThat(manual.channel()).isEqualTo("email");
    assertThat(manual.placement()).isEqualTo("home-hero");
    assertThat(manual.control()).isTrue();
    assertThat(manual.attributes())
        .isEqualTo(new EligibilityClient.Attributes("shoes", 20.0, List.of("promo", "spring")));
    EligibilityClient.Eligible auto = client.eligible().get(1);
    assertThat(auto.id()).isEqualTo("win-back");
    assertThat(auto.priorityMode()).isEqualTo("auto");
    assertThat(auto.priority()).isNull();
    assertThat(auto.channel()).isEqualTo("push");
    assertThat(auto.placement()).isNull();
    assertThat(auto.control()).isFalse();
    assertThat(auto.attributes()).isNull();
  }

  @Test
  void everyExclusionCodeArrivesAsItsName() throws Exception {
    List<EligibilityResult.Exclusion> excluded =
        Arrays.stream(ExclusionCode.values())
            .map(c -> new EligibilityResult.Exclusion("camp-" + c.ordinal(), c, "because " + c))
            .toList();
    EligibilityResult server = new EligibilityResult("c-2", 0, true, List.of(), excluded);

    EligibilityClient.Answer client = ServiceJson.roundTrip(server, EligibilityClient.Answer.class);

    assertThat(client.globalControl()).isTrue();
    assertThat(client.excluded())
        .containsExactlyElementsOf(
            excluded.stream()
                .map(
                    x ->
                        new EligibilityClient.Exclusion(
                            x.campaignId(), x.code().name(), x.reason()))
                .toList());
  }

  @Test
  void campaignListCarriesWhatDecisioningUses() throws Exception {
    CampaignSpec spec =
        new CampaignSpec(
            "spring-sale",
            "Spring sale",
            "Twenty percent off shoes",
            "active",
            "revenue",
            List.of("email", "push"),
            "home-hero",
            AT,
            AT.plusSeconds(86_400),
            "manual",
            2,
            new CampaignSpec.Trigger("event", "purchase", "true", null, null),
            "features.purchaseCount >= 1",
            10.0,
            14,
            new CampaignSpec.Cap(3, 7),
            new CampaignSpec.JourneyLink("welcome", 3, "true"),
            new CampaignSpec.Attributes("shoes", null, List.of("promo")));
    List<CampaignResource.CampaignView> server =
        List.of(new CampaignResource.CampaignView(spec, 5, AT, AT.plusSeconds(60)));
    ObjectMapper mapper = ServiceJson.mapper();

    List<EligibilityClient.CampaignView> client =
        mapper.readValue(
            mapper.writeValueAsString(server),
            new TypeReference<List<EligibilityClient.CampaignView>>() {});

    assertThat(client).hasSize(1);
    assertThat(client.get(0).version()).isEqualTo(5);
    EligibilityClient.Campaign c = client.get(0).campaign();
    assertThat(c.id()).isEqualTo("spring-sale");
    assertThat(c.priorityMode()).isEqualTo("manual");
    assertThat(c.priority()).isEqualTo(2);
    assertThat(c.attributionWindowDays()).isEqualTo(14);
    assertThat(c.controlPercent()).isEqualTo(10.0);
    assertThat(c.follows()).isEqualTo(new EligibilityClient.JourneyLink("welcome", 3));
    assertThat(c.attributes())
        .isEqualTo(new EligibilityClient.Attributes("shoes", null, List.of("promo")));
  }

  @Test
  void aCampaignWithoutOptionalPartsReadsAsNulls() throws Exception {
    CampaignSpec spec =
        new CampaignSpec(
            "plain",
            "Plain",
            null,
            "draft",
            "visits",
            List.of("web"),
            null,
            null,
            null,
            "auto",
            null,
            new CampaignSpec.Trigger("realtime", null, null, null, null),
            "true",
            null,
            null,
            null,
            null,
            null);

    EligibilityClient.CampaignView client =
        ServiceJson.roundTrip(
            new CampaignResource.CampaignView(spec, 1, AT, AT),
            EligibilityClient.CampaignView.class);

    EligibilityClient.Campaign c = client.campaign();
    assertThat(c.id()).isEqualTo("plain");
    assertThat(c.priorityMode()).isEqualTo("auto");
    assertThat(c.priority()).isNull();
    assertThat(c.attributionWindowDays()).isNull();
    assertThat(c.controlPercent()).isNull();
    assertThat(c.follows()).isNull();
    assertThat(c.attributes()).isNull();
  }

  @Test
  void settingsCarryTheGlobalControlShare() throws Exception {
    EligibilitySettings server =
        new EligibilitySettings(
            12.5,
            "salt-1",
            "do-not-disturb",
            "Europe/Madrid",
            Map.of("email", new EligibilitySettings.QuietHours("21:00", "08:00")),
            List.of(new EligibilitySettings.ChannelCap("email", 3, 7)));

    EligibilityClient.Settings client =
        ServiceJson.roundTrip(server, EligibilityClient.Settings.class);

    assertThat(client.controlGroupPercent()).isEqualTo(12.5);
  }
}
