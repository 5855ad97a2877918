package io.nextbest.profile.features;

import static io.nextbest.profile.features.Fold.event;
import static io.nextbest.profile.features.Fold.features;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.nextbest.models.clv.ClvModel;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PurchaseTimesTest {
  // as Quarkus configures its ObjectMapper, which stores the state
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Test
  void firstAndLastPurchaseAreTheEventInstantsWhateverTheArrivalOrder() {
    Instant first = Instant.parse("2026-01-05T09:30:00Z");
    Instant middle = Instant.parse("2026-02-10T18:00:00Z");
    Instant last = Instant.parse("2026-03-15T07:45:00Z");
    var f =
        features(
            event("purchase", middle, Map.of("amount", 10)),
            event("purchase", last, Map.of("amount", 10)),
            event("purchase", first, Map.of("amount", 10)),
            event("view", Map.of()));
    assertThat(f.get("firstPurchaseAt")).isEqualTo(first);
    assertThat(f.get("lastPurchaseAt")).isEqualTo(last);
    assertThat(f.get("firstPurchaseDate")).isEqualTo("2026-01-05");
  }

  @Test
  void noPurchaseGivesNoPurchaseInstants() {
    var f = features(event("view", Map.of()));
    assertThat(f).containsEntry("firstPurchaseAt", null).containsEntry("lastPurchaseAt", null);
  }

  @Test
  void stateStoredBeforeTheNewFieldsStillLoadsAndDerives() throws Exception {
    String old =
        "{\"purchaseDays\":{\"20460\":30.0,\"20516\":50.0},\"categories\":{\"tea\":4.0},"
            + "\"hourOfWeek\":["
            + "0,".repeat(FeatureState.HOURS_PER_WEEK - 1)
            + "0],\"lastEngagementAt\":\"2026-03-01T10:00:00Z\"}";
    FeatureState s = JSON.readValue(old, FeatureState.class);
    var f = Fold.derive(s, 2).features();

    // the purchase instants fall back to the start of the purchase days
    assertThat(f.get("firstPurchaseAt")).isEqualTo(Instant.parse("2026-01-07T00:00:00Z"));
    assertThat(f.get("lastPurchaseAt")).isEqualTo(Instant.parse("2026-03-04T00:00:00Z"));
    assertThat(f.get("categoryViewShares")).isEqualTo(Map.of());
    assertThat(f.get("reviewCount")).isEqualTo(0L);
    assertThat(f.get("reviewSentiment")).isNull();
    assertThat(f.get("priceSensitivity")).isEqualTo(0.0);

    // a later purchase keeps the backfilled first purchase
    Instant now = Instant.parse("2026-04-02T15:00:00Z");
    EventFacts.apply(s, "purchase", now, Map.of("amount", 5), Fold.CONTEXT);
    assertThat(s.firstPurchaseAt).isEqualTo(Instant.parse("2026-01-07T00:00:00Z"));
    assertThat(s.lastPurchaseAt).isEqualTo(now);

    // and the new fields survive a round trip
    s.categoryViews.put("tea", 3L);
    FeatureState again = JSON.readValue(JSON.writeValueAsString(s), FeatureState.class);
    assertThat(again.categoryViews).containsEntry("tea", 3L);
    assertThat(again.lastPurchaseAt).isEqualTo(now);
  }

  @Test
  void predictionsCarryTheBgNbdParametersInWeeks() {
    var prospect = Fold.derive(new FeatureState(), 0).predictions();
    var buyer =
        Fold.derive(
                Fold.state(
                    Fold.CONTEXT,
                    java.util.List.of(
                        event(
                            "purchase",
                            Instant.parse("2026-01-05T09:30:00Z"),
                            Map.of("amount", 10)))),
                1)
            .predictions();
    var m = ClvModel.PRIOR.bgNbd();
    Map<String, Double> expected = Map.of("r", m.r(), "alpha", m.alpha(), "a", m.a(), "b", m.b());
    assertThat(prospect.get("bgNbd")).isEqualTo(expected);
    assertThat(buyer.get("bgNbd")).isEqualTo(expected);
  }
}
