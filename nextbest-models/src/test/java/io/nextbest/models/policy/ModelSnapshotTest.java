package io.nextbest.models.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.events.Moment.EligibleCampaign;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelSnapshotTest {
  private static final FeatureSchema SCHEMA =
      new FeatureSchema(
          "f2",
          List.of("cartValue"),
          List.of("returning"),
          Map.of("device", List.of("mobile", "desktop")),
          List.of(),
          List.of("vip"),
          Map.of(),
          List.of("shoes"),
          8);
  private static final FeatureEncoder ENCODER = new FeatureEncoder(SCHEMA);
  private static final DecisionPolicy.Settings SETTINGS =
      new DecisionPolicy.Settings(0.02, 0.1, 64, 0.25, 0.1);
  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  private static final Decider.Campaigns CAMPAIGNS =
      new Decider.Campaigns() {
        @Override
        public CampaignAttributes attributes(String campaignId) {
          return new CampaignAttributes("shoes", 20.0, List.of("spring"));
        }

        @Override
        public List<DecisionPolicy.FollowUp> followUps(String campaignId) {
          return List.of();
        }
      };

  /** Arms learned from random contexts, as a learning step leaves them. */
  private static Map<String, LinearArm> learnedArms(long seed) {
    int d = ENCODER.names().size();
    Random random = new Random(seed);
    Map<String, LinearArm> arms = new HashMap<>();
    for (String id :
        List.of(PolicyModel.BASE, ThompsonPolicy.NONE, "spring-shoes", "attr:channel:email")) {
      LinearArm arm = new LinearArm(d);
      for (int i = 0; i < 400; i++) {
        double[] x = new double[d];
        x[0] = 1;
        for (int j = 1; j < d; j++) {
          x[j] = random.nextDouble() < 0.3 ? random.nextGaussian() : 0;
        }
        arm.update(x, Math.max(0, 2 + random.nextGaussian() * 5));
      }
      arms.put(id, arm);
    }
    return arms;
  }

  private static ModelSnapshot snapshot(long version, DecisionPolicy.Mode deciding) {
    return new ModelSnapshot(
        version,
        AT,
        AT.plusSeconds(5),
        deciding,
        0.1,
        SETTINGS,
        1.0,
        1000,
        7,
        SCHEMA,
        learnedArms(version));
  }

  @Test
  void aSnapshotReadsBackAsWritten() {
    ModelSnapshot written = snapshot(42, DecisionPolicy.Mode.LIVE);

    ModelSnapshot read = ModelSnapshot.fromBytes(written.toBytes());

    assertThat(read).usingRecursiveComparison().isEqualTo(written);
    assertThat(read.schema().id()).isEqualTo(SCHEMA.id());
    assertThat(read.arms()).isEqualTo(written.arms());
  }

  @Test
  void aSnapshotReadBackDecidesExactlyAsTheOneWritten() {
    ModelSnapshot owner = snapshot(7, DecisionPolicy.Mode.LIVE);
    ModelSnapshot edge = ModelSnapshot.fromBytes(owner.toBytes());
    Decider ownerDecider = new Decider(ENCODER, new DecisionPolicy(owner.settings()), 7);
    FeatureEncoder edgeEncoder = new FeatureEncoder(edge.schema());
    Decider edgeDecider =
        new Decider(edgeEncoder, new DecisionPolicy(edge.settings()), edge.horizonDays());
    Decider.InForce ownerState = owner.inForce(owner.model(ENCODER));
    Decider.InForce edgeState = edge.inForce(edge.model(edgeEncoder));
    List<EligibleCampaign> candidates =
        List.of(
            new EligibleCampaign("spring-shoes", null, "email", null, false),
            new EligibleCampaign("banner", null, "web", "home-hero", false));

    for (int i = 0; i < 50; i++) {
      Decider.Request request =
          new Decider.Request(
              "d:" + i,
              null,
              "c-" + i,
              candidates,
              null,
              false,
              null,
              Map.of("device", i % 2 == 0 ? "mobile" : "desktop", "cartValue", i * 3.5),
              List.of(),
              AT.plusSeconds(3600L * i),
              null,
              null);
      var a = ownerDecider.decide(request, ownerState, CAMPAIGNS).decision();
      var b = edgeDecider.decide(request, edgeState, CAMPAIGNS).decision();

      assertThat(b.campaignId()).isEqualTo(a.campaignId());
      assertThat(b.propensity()).isEqualTo(a.propensity());
      assertThat(b.policyVersion()).isEqualTo(a.policyVersion()).isEqualTo("thompson-v7");
      assertThat(b.features().policy().probabilities())
          .isEqualTo(a.features().policy().probabilities());
      assertThat(Arrays.equals(b.features().x(), a.features().x())).isTrue();
    }
  }

  @Test
  void bytesThatAreNotASnapshotAreRefused() {
    byte[] good = snapshot(3, DecisionPolicy.Mode.LIVE).toBytes();

    assertThatThrownBy(() -> ModelSnapshot.fromBytes("{\"not\":\"a model\"}".getBytes()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ModelSnapshot.fromBytes(Arrays.copyOf(good, good.length / 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSnapshotOfTwentyArmsFitsWellWithinAMebibyte() {
    Map<String, LinearArm> arms = new HashMap<>();
    for (int i = 0; i < 5; i++) {
      String suffix = "-" + i;
      learnedArms(i).forEach((id, arm) -> arms.put(id + suffix, arm));
    }
    ModelSnapshot big =
        new ModelSnapshot(
            9, AT, AT, DecisionPolicy.Mode.LIVE, 0.1, SETTINGS, 1, 1000, 7, SCHEMA, arms);

    byte[] bytes = big.toBytes();

    System.out.printf("20 arms of %d features: %,d bytes%n", ENCODER.names().size(), bytes.length);
    assertThat(bytes.length).isLessThan(1 << 20);
  }
}
