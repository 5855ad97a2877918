package io.nextbest.tools.decision.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrueEffectsTest {
  private final List<CampaignSpec> campaigns = SimConfig.defaults().campaigns();
  private final CampaignSpec shoes = find("sim-shoes");
  private final CampaignSpec discount = find("sim-discount20");
  private final CampaignSpec push = find("sim-push-app");
  private final CampaignSpec newsletter = find("sim-newsletter");

  @Test
  void categoryMatchIsStrongAndMismatchIsNot() {
    Customer fan = Worlds.customer(0, "shoes", 0.5, 0.02);
    Customer other = Worlds.customer(1, "home", 0.5, 0.02);
    assertThat(TrueEffects.lift(shoes, fan, "mobile", 0)).isCloseTo(0.008, within(1e-12));
    assertThat(TrueEffects.lift(shoes, other, "mobile", 0)).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void discountLiftGrowsWithPriceSensitivity() {
    double low = TrueEffects.lift(discount, Worlds.customer(0, "home", 0.1, 0.02), "mobile", 0);
    double high = TrueEffects.lift(discount, Worlds.customer(0, "home", 0.9, 0.02), "mobile", 0);
    // 0.06 per unit of depth (20% = 0.2) and of price sensitivity
    assertThat(high - low).isCloseTo(0.06 * 0.2 * 0.8, within(1e-12));
  }

  @Test
  void discountDoesNotMoveVips() {
    Customer c = Worlds.customer(0, "home", 0.5, 0.02);
    Customer vip =
        new Customer(
            0, "v", "mid", "north", true, "home", 0.5, "mobile", 0.02, Math.log(50), 0.5, 12);
    assertThat(
            TrueEffects.lift(discount, c, "mobile", 0)
                - TrueEffects.lift(discount, vip, "mobile", 0))
        .isCloseTo(0.004, within(1e-12));
  }

  @Test
  void pushIsBetterOnMobileAndWorseForSeniors() {
    Customer c = Worlds.customer(0, "home", 0.5, 0.02);
    assertThat(TrueEffects.lift(push, c, "mobile", 0))
        .isGreaterThan(TrueEffects.lift(push, c, "desktop", 0) + 0.005);
    Customer senior =
        new Customer(
            0, "s", "senior", "north", false, "home", 0.5, "mobile", 0.02, Math.log(50), 0.5, 12);
    assertThat(TrueEffects.lift(push, senior, "desktop", 0)).isNegative();
  }

  @Test
  void fatigueTurnsTheNewsletterNegative() {
    Customer c = Worlds.customer(0, "home", 0.5, 0.02);
    assertThat(TrueEffects.lift(newsletter, c, "mobile", 0)).isPositive();
    assertThat(TrueEffects.lift(newsletter, c, "mobile", 4)).isNegative();
    double perSend =
        TrueEffects.lift(newsletter, c, "mobile", 1) - TrueEffects.lift(newsletter, c, "mobile", 2);
    assertThat(perSend).isCloseTo(newsletter.effect().fatiguePerSend(), within(1e-12));
  }

  @Test
  void unsubscribeRisesWithContactPressureAndStaysAProbability() {
    assertThat(TrueEffects.unsubscribeProbability(newsletter, 0)).isCloseTo(0.001, within(1e-12));
    assertThat(TrueEffects.unsubscribeProbability(newsletter, 5)).isCloseTo(0.011, within(1e-12));
    CampaignSpec harsh =
        Worlds.campaign(
            "x", "email", new CampaignSpec.Effect(0, 0, 0, 0, 0, 0, 0, List.of(), 0.5, 0.3));
    assertThat(TrueEffects.unsubscribeProbability(harsh, 10)).isEqualTo(1.0);
  }

  private CampaignSpec find(String id) {
    return campaigns.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }
}
