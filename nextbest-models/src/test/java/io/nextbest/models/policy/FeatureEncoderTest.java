package io.nextbest.models.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.events.ProfileSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureEncoderTest {
  private static final Instant T = Instant.parse("2026-06-01T12:00:00Z");
  private static final FeatureEncoder ENCODER = new FeatureEncoder(FeatureSchema.defaults());

  private static ProfileSnapshot profile(Map<String, Object> features, Map<String, Object> p) {
    return new ProfileSnapshot(
        "c:1",
        ProfileSnapshot.TYPE,
        "c",
        T,
        1,
        Map.of("birthdate", "1990-06-05", "traits", Map.of("tier", "gold", "age", 41)),
        features,
        p,
        Map.of(),
        List.of("loyal"),
        null);
  }

  private static final Map<String, Object> FEATURES =
      Map.of(
          "frequency",
          3,
          "monetary",
          200.0,
          "firstPurchaseAt",
          "2026-01-01T00:00:00Z",
          "lastPurchaseAt",
          "2026-05-01T00:00:00Z",
          "lastEngagementAt",
          "2026-05-30T12:00:00Z",
          "firstEventAt",
          "2025-12-01T00:00:00Z",
          "priceSensitivity",
          0.8,
          "categoryViewShares",
          Map.of("shoes", 0.7, "bags", 0.3),
          "channelEngagement",
          Map.of("email", Map.of("opens", 2, "clicks", 1)));

  private static final Map<String, Object> PREDICTIONS =
      Map.of(
          "basis",
          "bg-nbd+gamma-gamma",
          "probabilityAlive",
          0.9,
          "bgNbd",
          Map.of("r", 0.24, "alpha", 4.41, "a", 0.79, "b", 2.43));

  private static int at(String name) {
    return ENCODER.names().indexOf(name);
  }

  @Test
  void timeRelativeFeaturesAreComputedAsOfTheMomentNotFrozen() {
    var now = ENCODER.encode(profile(FEATURES, PREDICTIONS), null, List.of(), T);
    var later =
        ENCODER.encode(
            profile(FEATURES, PREDICTIONS), null, List.of(), T.plus(Duration.ofDays(60)));
    assertThat(later.shared()[at("log-recency-days")])
        .isGreaterThan(now.shared()[at("log-recency-days")]);
    assertThat(later.shared()[at("log-days-since-engagement")])
        .isGreaterThan(now.shared()[at("log-days-since-engagement")]);
    assertThat(later.shared()[at("p-alive")]).isLessThan(now.shared()[at("p-alive")]);
    assertThat(now.shared()[at("churn-risk")])
        .isCloseTo(1 - now.shared()[at("p-alive")], within(1e-12));
    // the birthday (5 June) is within a week of 1 June, not of 31 July
    assertThat(now.shared()[at("birthday-week")]).isEqualTo(1);
    assertThat(later.shared()[at("birthday-week")]).isZero();
    assertThat(now.shared()[at("segment:loyal")]).isEqualTo(1);
  }

  @Test
  void contextKeysAreHashedAndNestedOnesIgnoredNeverAnError() {
    var e =
        ENCODER.encode(
            null,
            Map.of("device", "mobile", "cartValue", 35.5, "vip", true, "cart", Map.of("n", 2)),
            null,
            T);
    double[] hashed = Arrays.copyOfRange(e.shared(), at("hashed:0"), at("hashed:0") + 32);
    assertThat(Arrays.stream(hashed).filter(v -> v != 0).count()).isBetween(2L, 3L);
    assertThat(e.ignored()).containsExactly("context:cart");
    var other = ENCODER.encode(null, Map.of("device", "desktop"), null, T);
    assertThat(other.shared()).isNotEqualTo(ENCODER.encode(null, Map.of(), null, T).shared());
  }

  @Test
  void declaredKeysAreOneHotWithinTheirVocabularyAndChangeTheEncoderId() {
    var schema =
        new FeatureSchema(
            "f2",
            List.of("cartValue"),
            List.of(),
            FeatureSchema.vocabularies(List.of("device=mobile|desktop")),
            List.of("age"),
            List.of(),
            FeatureSchema.vocabularies(List.of("tier=gold|silver")),
            List.of("shoes"),
            0);
    var encoder = new FeatureEncoder(schema);
    assertThat(encoder.id()).isNotEqualTo(ENCODER.id()).startsWith("f2-");
    var e =
        encoder.encode(
            profile(FEATURES, PREDICTIONS), Map.of("device", "mobile", "page", "x"), null, T);
    List<String> names = encoder.names();
    assertThat(e.shared()[names.indexOf("context:device=mobile")]).isEqualTo(1);
    assertThat(e.shared()[names.indexOf("context:device=desktop")]).isZero();
    assertThat(e.shared()[names.indexOf("trait:tier=gold")]).isEqualTo(1);
    assertThat(e.shared()[names.indexOf("trait:age")]).isPositive();
    assertThat(e.shared()[names.indexOf("category-view-share:shoes")]).isEqualTo(0.7);
    // hashing off: undeclared keys are ignored and reported
    assertThat(e.ignored()).contains("context:page");
  }

  @Test
  void crossFeaturesDescribeTheCampaignAgainstTheCustomer() {
    Instant yesterday = T.minus(Duration.ofHours(20));
    var e =
        ENCODER.encode(
            profile(FEATURES, PREDICTIONS),
            null,
            List.of(
                new FeatureEncoder.Send("a", "email", yesterday),
                new FeatureEncoder.Send("b", "email", T.minus(Duration.ofDays(10))),
                new FeatureEncoder.Send("c", "push", T.minus(Duration.ofDays(3)))),
            T);
    assertThat(e.shared()[at("log-sends-1d")]).isCloseTo(Math.log1p(1) / 2, within(1e-12));
    assertThat(e.shared()[at("log-sends-30d")]).isCloseTo(Math.log1p(3) / 4, within(1e-12));
    double[] shoes =
        ENCODER.full(
            e.shared(),
            e.facts(),
            new CampaignAttributes("shoes", 20.0, List.of()),
            "email",
            false);
    double[] none = ENCODER.full(e.shared(), e.facts(), null, null, true);
    int c = ENCODER.sharedDimension();
    assertThat(shoes[c]).isEqualTo(0.7);
    assertThat(shoes[c + 2]).isCloseTo(0.2, within(1e-12));
    assertThat(shoes[c + 3]).isCloseTo(0.2 * 0.8, within(1e-12));
    assertThat(shoes[c + 4]).isCloseTo(Math.log1p(1) / 2, within(1e-12));
    assertThat(shoes[c + 7]).isCloseTo(2 / 3.0, within(1e-12)); // 2 opens over 2 sends (+1)
    assertThat(Arrays.copyOfRange(none, c, none.length)).containsOnly(0.0);
    // the facts survive the decision log
    var facts = FeatureEncoder.Facts.fromJson(e.facts().toJson());
    assertThat(
            ENCODER.full(
                e.shared(),
                facts,
                new CampaignAttributes("shoes", 20.0, List.of()),
                "email",
                false))
        .containsExactly(shoes);
  }

  @Test
  void everyValueIsFiniteWhateverTheProfileHolds() {
    var e =
        ENCODER.encode(
            profile(
                Map.of("monetary", Double.NaN, "frequency", "x", "lastPurchaseAt", "garbage"),
                Map.of("probabilityAlive", Double.POSITIVE_INFINITY)),
            Map.of("n", Double.NaN),
            null,
            T);
    assertThat(Arrays.stream(e.shared()).allMatch(Double::isFinite)).isTrue();
    assertThat(ENCODER.encode(null, null, null, T).shared()[0]).isEqualTo(1);
  }
}
