package io.nextbest.decision.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.decision.policy.DecisionPolicy.FollowUp;
import io.nextbest.decision.policy.DecisionPolicy.Mode;
import io.nextbest.events.Moment.EligibleCampaign;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecisionPolicyTest {
  private static final int D = FeatureEncoder.DIMENSION;
  private static final DecisionPolicy POLICY =
      new DecisionPolicy(new DecisionPolicy.Settings(0.05, 0.1, 256, 0.9));
  private static final DecisionPolicy.Campaigns NO_JOURNEYS = id -> List.of();

  private static EligibleCampaign auto(String id) {
    return new EligibleCampaign(id, null, "web", "home-hero");
  }

  private static double[] bias() {
    double[] x = new double[D];
    x[0] = 1;
    return x;
  }

  /** A model where "none" earns {@code base} and each campaign its own mean, well measured. */
  private static PolicyModel model(double base, Map<String, Double> campaigns) {
    java.util.Map<String, LinearArm> stats = new java.util.HashMap<>();
    SplittableRandom random = new SplittableRandom(3);
    stats.put(ThompsonPolicy.NONE, arm(base, random));
    campaigns.forEach((id, mean) -> stats.put(id, arm(mean, random)));
    return new PolicyModel(1, stats, 1.0);
  }

  private static LinearArm arm(double mean, SplittableRandom random) {
    LinearArm arm = new LinearArm(D);
    for (int i = 0; i < 5_000; i++) {
      arm.update(bias(), mean + 0.05 * Gaussian.next(random));
    }
    return arm;
  }

  @Test
  void manualPriorityIsAllocatedBeforeAutoCampaigns() {
    var model = model(0.1, Map.of("auto-best", 0.9, "manual-low", 0.11, "manual-high", 0.12));
    var r =
        POLICY.decide(
            bias(),
            1,
            List.of(
                auto("auto-best"),
                new EligibleCampaign("manual-low", 5, "email", null),
                new EligibleCampaign("manual-high", 50, "email", null)),
            model,
            Mode.LIVE,
            NO_JOURNEYS,
            1);
    assertThat(r.campaign()).map(EligibleCampaign::campaignId).contains("manual-high");
    assertThat(r.rule()).isEqualTo("manual");
    assertThat(r.propensity()).isEqualTo(1.0);
  }

  @Test
  void liveModePicksTheCampaignWithTheLargestIncrementalValue() {
    var model = model(0.10, Map.of("good", 0.30, "meh", 0.12));
    var r =
        POLICY.decide(
            bias(), 1, List.of(auto("meh"), auto("good")), model, Mode.LIVE, NO_JOURNEYS, 9);
    assertThat(r.probabilities().get("good")).isGreaterThan(0.9);
    assertThat(r.rule()).isEqualTo("thompson");
    if (r.campaign().isPresent() && r.campaign().get().campaignId().equals("good")) {
      assertThat(r.upliftMean()).isCloseTo(0.20, within(0.01));
    }
  }

  @Test
  void harmfulCampaignsLoseToNone() {
    var model = model(0.10, Map.of("annoying", 0.02));
    var r = POLICY.decide(bias(), 1, List.of(auto("annoying")), model, Mode.LIVE, NO_JOURNEYS, 4);
    assertThat(r.probabilities().get(ThompsonPolicy.NONE)).isGreaterThan(0.9);
  }

  @Test
  void aCampaignThatOpensAJourneyEarnsItsFollowUpsDiscountedValue() {
    var model = model(0.10, Map.of("opener", 0.10, "standalone", 0.12, "follow-up", 0.40));
    DecisionPolicy.Campaigns journeys =
        id -> id.equals("opener") ? List.of(new FollowUp("follow-up", 7)) : List.of();
    var value = POLICY.value("opener", bias(), model, 0.8, journeys);
    // own uplift 0 + 0.9^(7/7) × P(alive) 0.8 × follow-up uplift 0.30
    assertThat(value.mean() - 0.10).isCloseTo(0.9 * 0.8 * 0.30, within(0.01));
    var r =
        POLICY.decide(
            bias(),
            0.8,
            List.of(auto("opener"), auto("standalone")),
            model,
            Mode.LIVE,
            journeys,
            5);
    assertThat(r.probabilities().get("opener")).isGreaterThan(0.9);
  }

  @Test
  void apprenticeFollowsManualPriorityAndRecordsTheModelsChoice() {
    var model = model(0.10, Map.of("first", 0.10, "second", 0.50));
    var r =
        POLICY.decide(
            bias(),
            1,
            List.of(new EligibleCampaign("first", 9, "web", "hero"), auto("second")),
            model,
            Mode.APPRENTICE,
            NO_JOURNEYS,
            3);
    assertThat(r.probabilities().get("first")).isCloseTo(0.9 + 0.1 / 3, within(1e-9));
    assertThat(r.probabilities().get("second")).isCloseTo(0.1 / 3, within(1e-9));
    assertThat(r.shadow()).isEqualTo("second");
    assertThat(r.rule()).isEqualTo("apprentice");
  }

  @Test
  void nothingEligibleIsNone() {
    var r = POLICY.decide(bias(), 1, List.of(), PolicyModel.empty(1), Mode.LIVE, NO_JOURNEYS, 1);
    assertThat(r.campaign()).isEmpty();
    assertThat(r.propensity()).isEqualTo(1.0);
  }

  @Test
  void targetProbabilitiesForEvaluation() {
    var model = model(0.10, Map.of("a", 0.3));
    var candidates = List.of(auto("a"), new EligibleCampaign("m", 3, "email", null));
    assertThat(POLICY.probabilities("random", 0, bias(), 1, candidates, model, NO_JOURNEYS))
        .containsEntry("a", 1.0 / 3)
        .containsEntry(ThompsonPolicy.NONE, 1.0 / 3);
    assertThat(POLICY.probabilities("manual", 0, bias(), 1, candidates, model, NO_JOURNEYS))
        .containsEntry("m", 1.0)
        .containsEntry("a", 0.0);
    assertThat(POLICY.probabilities("greedy", 0, bias(), 1, List.of(auto("a")), model, NO_JOURNEYS))
        .containsEntry("a", 1.0);
  }
}
