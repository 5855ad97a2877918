package io.nextbest.models.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.events.Moment.EligibleCampaign;
import io.nextbest.models.policy.DecisionPolicy.Arm;
import io.nextbest.models.policy.DecisionPolicy.FollowUp;
import io.nextbest.models.policy.DecisionPolicy.Mode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecisionPolicyTest {
  private static final int D = 6;
  private static final DecisionPolicy POLICY =
      new DecisionPolicy(new DecisionPolicy.Settings(0.05, 0.1, 256));
  private static final DecisionPolicy.Campaigns NO_JOURNEYS = id -> List.of();

  private static Arm auto(String id) {
    return arm(new EligibleCampaign(id, null, "web", "home-hero"), List.of());
  }

  private static Arm arm(EligibleCampaign c, List<String> tokens) {
    return new Arm(c, bias(), tokens);
  }

  private static double[] bias() {
    double[] x = new double[D];
    x[0] = 1;
    return x;
  }

  /** A model where "none" earns {@code base} and each arm its own mean, well measured. */
  private static PolicyModel model(double base, Map<String, Double> arms) {
    Map<String, LinearArm> stats = new HashMap<>();
    SplittableRandom random = new SplittableRandom(3);
    stats.put(ThompsonPolicy.NONE, arm(base, random));
    stats.put(PolicyModel.BASE, arm(base, random));
    arms.forEach((id, mean) -> stats.put(id, arm(mean, random)));
    return new PolicyModel(1, stats, 1.0, PolicyModel.uniform(100, D));
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
            List.of(
                auto("auto-best"),
                arm(new EligibleCampaign("manual-low", 5, "email", null), List.of()),
                arm(new EligibleCampaign("manual-high", 50, "email", null), List.of())),
            model,
            Mode.LIVE,
            NO_JOURNEYS,
            1);
    assertThat(r.campaign()).map(EligibleCampaign::campaignId).contains("manual-high");
    assertThat(r.rule()).isEqualTo("manual");
    assertThat(r.propensity()).isEqualTo(1.0);
  }

  @Test
  void equalPrioritiesAreOneRankChosenAtRandomNeverByName() {
    var model = model(0.1, Map.of());
    List<Arm> tied =
        List.of(
            arm(new EligibleCampaign("zeta", 5, "email", null), List.of()),
            arm(new EligibleCampaign("alpha", 5, "email", null), List.of()));
    int zeta = 0;
    for (long seed = 0; seed < 400; seed++) {
      var r = POLICY.decide(bias(), tied, model, Mode.LIVE, NO_JOURNEYS, seed);
      assertThat(r.propensity()).isEqualTo(0.5);
      zeta += r.campaign().get().campaignId().equals("zeta") ? 1 : 0;
    }
    assertThat(zeta).isBetween(150, 250);
  }

  @Test
  void liveModePicksTheCampaignWithTheLargestIncrementalValue() {
    var model = model(0.10, Map.of("good", 0.30, "meh", 0.12));
    var r =
        POLICY.decide(bias(), List.of(auto("meh"), auto("good")), model, Mode.LIVE, NO_JOURNEYS, 9);
    assertThat(r.probabilities().get("good")).isGreaterThan(0.9);
    assertThat(r.rule()).isEqualTo("thompson");
    if (r.campaign().isPresent() && r.campaign().get().campaignId().equals("good")) {
      assertThat(r.upliftMean()).isCloseTo(0.20, within(0.01));
    }
  }

  @Test
  void theLiveChoicesOfTheExplorationShareAreMarkedAsExplored() {
    // "good" wins every draw: what else is chosen came from the uniform share
    var model = model(0.10, Map.of("good", 0.30, "bad", 0.0));
    DecisionPolicy exploring = new DecisionPolicy(new DecisionPolicy.Settings(0.5, 0.1, 256));
    int explored = 0;
    for (long seed = 0; seed < 400; seed++) {
      var r =
          exploring.decide(
              bias(), List.of(auto("good"), auto("bad")), model, Mode.LIVE, NO_JOURNEYS, seed);
      assertThat(r.rule()).isEqualTo("thompson");
      boolean good = r.campaign().map(c -> c.campaignId().equals("good")).orElse(false);
      if (!good) {
        assertThat(r.explored()).isTrue();
      }
      explored += r.explored() ? 1 : 0;
    }
    // half the draws explore, a third of those land on "good" again
    assertThat(explored).isBetween(160, 240);
    var manual =
        exploring.decide(
            bias(),
            List.of(arm(new EligibleCampaign("first", 5, "email", null), List.of())),
            model,
            Mode.LIVE,
            NO_JOURNEYS,
            3);
    assertThat(manual.explored()).isFalse();
  }

  @Test
  void harmfulCampaignsLoseToNone() {
    var model = model(0.10, Map.of("annoying", 0.02));
    var r = POLICY.decide(bias(), List.of(auto("annoying")), model, Mode.LIVE, NO_JOURNEYS, 4);
    assertThat(r.probabilities().get(ThompsonPolicy.NONE)).isGreaterThan(0.9);
  }

  @Test
  void aNewCampaignStartsFromTheCampaignsThatShareItsAttributes() {
    // campaigns in category shoes paid 0.5 over none; a new shoes campaign starts there, a new
    // campaign of another category from none
    var model = model(0.10, Map.of(PolicyModel.POOL + "category:shoes", 0.60));
    Arm shoes =
        arm(new EligibleCampaign("new-shoes", null, "email", null), List.of("category:shoes"));
    Arm bags = arm(new EligibleCampaign("new-bags", null, "email", null), List.of("category:bags"));
    assertThat(model.posterior("new-shoes", shoes.tokens()).predictMean(bias()))
        .isCloseTo(0.60, within(0.02));
    assertThat(model.posterior("new-bags", bags.tokens()).predictMean(bias()))
        .isCloseTo(0.10, within(0.02));
    assertThat(
            POLICY.probabilities("model", 0.05, bias(), List.of(bags, shoes), model, NO_JOURNEYS))
        .hasEntrySatisfying("new-shoes", p -> assertThat(p).isGreaterThan(0.5));
  }

  @Test
  void aCampaignThatOpensAJourneyIsValuedOnTheJourneyHorizon() {
    // on the decision horizon the opener adds nothing; on the journey horizon its follow-ups'
    // conversions make it 0.3 better than none there
    var model =
        model(
            0.10,
            Map.of(
                "opener",
                0.10,
                "standalone",
                0.12,
                DecisionPolicy.LONG + ThompsonPolicy.NONE,
                0.40,
                DecisionPolicy.LONG + "opener",
                0.70));
    DecisionPolicy.Campaigns journeys =
        id -> id.equals("opener") ? List.of(new FollowUp("follow-up", 7)) : List.of();
    var r =
        POLICY.decide(
            bias(), List.of(auto("opener"), auto("standalone")), model, Mode.LIVE, journeys, 5);
    assertThat(r.probabilities().get("opener")).isGreaterThan(0.9);
    if (r.campaign().map(c -> c.campaignId().equals("opener")).orElse(false)) {
      assertThat(r.upliftMean()).isCloseTo(0.30, within(0.02));
    }
  }

  @Test
  void apprenticeFollowsTheMarketersOrderAndRecordsTheModelsChoice() {
    var model = model(0.10, Map.of("first", 0.10, "second", 0.50));
    var r =
        POLICY.decide(
            bias(),
            List.of(
                arm(new EligibleCampaign("first", 9, "web", "hero"), List.of()), auto("second")),
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
  void apprenticeWithoutAnyPriorityHasNoOrderToImitateAndExploresEvenly() {
    var model = model(0.10, Map.of());
    List<Arm> arms = List.of(auto("zeta"), auto("alpha"), auto("mid"));
    Map<String, Integer> counts = new HashMap<>();
    for (long seed = 0; seed < 2_000; seed++) {
      var r = POLICY.decide(bias(), arms, model, Mode.APPRENTICE, NO_JOURNEYS, seed);
      assertThat(r.propensity()).isCloseTo(0.25, within(1e-9));
      counts.merge(r.campaign().map(EligibleCampaign::campaignId).orElse("none"), 1, Integer::sum);
    }
    assertThat(counts).hasSize(4);
    counts.values().forEach(n -> assertThat(n).isBetween(400, 600));
  }

  @Test
  void apprenticesCanaryShareFollowsTheLivePolicyAndLogsTheMixturesPropensity() {
    DecisionPolicy canary = new DecisionPolicy(new DecisionPolicy.Settings(0.0, 0.1, 256, 1, 0.3));
    var model = model(0.10, Map.of("weak", 0.10, "strong", 0.90));
    List<Arm> arms =
        List.of(arm(new EligibleCampaign("weak", 9, "web", "hero"), List.of()), auto("strong"));
    // a prioritised candidate: the live policy allocates it too, so the share goes to it whole
    var ranked = canary.decide(bias(), arms, model, Mode.APPRENTICE, NO_JOURNEYS, 1);
    assertThat(ranked.probabilities().get("weak"))
        .isCloseTo(0.7 * (0.9 + 0.1 / 3) + 0.3, within(1e-9));
    assertThat(ranked.probabilities().get("strong")).isCloseTo(0.7 * 0.1 / 3, within(1e-9));

    List<Arm> auto = List.of(auto("weak"), auto("strong"));
    Map<String, Integer> counts = new HashMap<>();
    for (long seed = 0; seed < 3_000; seed++) {
      var r = canary.decide(bias(), auto, model, Mode.APPRENTICE, NO_JOURNEYS, seed);
      // uniform manual mass 0.7 / 3, plus the whole share on the clearly best campaign
      String id = r.campaign().map(EligibleCampaign::campaignId).orElse("none");
      double expected = 0.7 / 3 + ("strong".equals(id) ? 0.3 : 0);
      assertThat(r.propensity()).isCloseTo(expected, within(1e-6));
      assertThat(r.probabilities().values().stream().mapToDouble(Double::doubleValue).sum())
          .isCloseTo(1.0, within(1e-9));
      assertThat(r.rule()).isEqualTo("apprentice");
      counts.merge(id, 1, Integer::sum);
    }
    assertThat(counts.get("strong")).isBetween(1_480, 1_720);
    assertThat(counts.get("weak")).isBetween(600, 800);
  }

  @Test
  void theCanaryShareInForceReplacesTheConfiguredOne() {
    DecisionPolicy canary = new DecisionPolicy(new DecisionPolicy.Settings(0.0, 0.1, 256, 1, 0.3));
    var model = model(0.10, Map.of("weak", 0.10, "strong", 0.90));
    List<Arm> auto = List.of(auto("weak"), auto("strong"));
    for (double share : new double[] {0, 0.3, 0.75, 1}) {
      var r = canary.decide(bias(), auto, model, Mode.APPRENTICE, NO_JOURNEYS, 1, share);
      assertThat(r.probabilities().get("strong")).isCloseTo((1 - share) / 3 + share, within(1e-9));
      assertThat(r.probabilities().get("weak")).isCloseTo((1 - share) / 3, within(1e-9));
    }
    assertThat(canary.decide(bias(), auto, model, Mode.APPRENTICE, NO_JOURNEYS, 1).probabilities())
        .isEqualTo(
            canary
                .decide(bias(), auto, model, Mode.APPRENTICE, NO_JOURNEYS, 1, 0.3)
                .probabilities());
    assertThatThrownBy(
            () -> canary.decide(bias(), auto, model, Mode.APPRENTICE, NO_JOURNEYS, 1, 1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void liveModesLearningPhaseDecidesAsTheApprenticeDoesUnderItsOwnRule() {
    DecisionPolicy canary = new DecisionPolicy(new DecisionPolicy.Settings(0.0, 0.1, 256, 1, 0.3));
    var model = model(0.10, Map.of("weak", 0.10, "strong", 0.90));
    List<Arm> auto = List.of(auto("weak"), auto("strong"));
    for (long seed = 0; seed < 200; seed++) {
      var learning = canary.decide(bias(), auto, model, Mode.LEARNING, NO_JOURNEYS, seed);
      var apprentice = canary.decide(bias(), auto, model, Mode.APPRENTICE, NO_JOURNEYS, seed);
      assertThat(learning.rule()).isEqualTo("learning");
      assertThat(learning.campaign()).isEqualTo(apprentice.campaign());
      assertThat(learning.propensity()).isEqualTo(apprentice.propensity());
      assertThat(learning.probabilities()).isEqualTo(apprentice.probabilities());
      assertThat(learning.shadow()).isEqualTo("strong");
    }
    // fully live, the clearly best campaign takes (nearly) every decision
    var live = canary.decide(bias(), auto, model, Mode.LIVE, NO_JOURNEYS, 1);
    assertThat(live.rule()).isEqualTo("thompson");
    assertThat(live.probabilities().get("strong")).isGreaterThan(0.99);
  }

  @Test
  void nothingEligibleIsNone() {
    var r =
        POLICY.decide(
            bias(),
            List.of(),
            PolicyModel.empty(1, PolicyModel.uniform(100, D)),
            Mode.LIVE,
            NO_JOURNEYS,
            1);
    assertThat(r.campaign()).isEmpty();
    assertThat(r.propensity()).isEqualTo(1.0);
  }

  @Test
  void targetProbabilitiesForEvaluation() {
    var model = model(0.10, Map.of("a", 0.3));
    var candidates =
        List.of(auto("a"), arm(new EligibleCampaign("m", 3, "email", null), List.of()));
    assertThat(POLICY.probabilities("random", 0, bias(), candidates, model, NO_JOURNEYS))
        .containsEntry("a", 1.0 / 3)
        .containsEntry(ThompsonPolicy.NONE, 1.0 / 3);
    assertThat(POLICY.probabilities("manual", 0, bias(), candidates, model, NO_JOURNEYS))
        .containsEntry("m", 1.0)
        .containsEntry("a", 0.0);
    assertThat(POLICY.probabilities("greedy", 0, bias(), List.of(auto("a")), model, NO_JOURNEYS))
        .containsEntry("a", 1.0);
  }
}
