package io.nextbest.profile.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A return takes its value off its order's day, never adds a purchase day. */
class ReturnFeaturesTest {
  private static final Instant MAY = Instant.parse("2026-05-01T10:00:00Z");
  private static final Instant MAY_20 = Instant.parse("2026-05-20T10:00:00Z");

  private static FeatureState fold(Fold.Event... events) {
    return Fold.state(Fold.CONTEXT, List.of(events));
  }

  @Test
  void aReturnComesOffTheDayOfItsOrder() {
    FeatureState s =
        fold(
            Fold.event("purchase", MAY, Map.of("orderId", "o1", "amount", 100)),
            Fold.event("purchase", MAY_20, Map.of("orderId", "o2", "amount", 60)),
            Fold.event(
                "return", MAY_20.plusSeconds(86_400), Map.of("orderId", "o1", "amount", 30)));
    assertThat(s.purchaseDayCount()).isEqualTo(2);
    assertThat(s.purchaseDays.firstEntry().getValue()).isEqualTo(70.0);
    assertThat(s.purchaseDays.lastEntry().getValue()).isEqualTo(60.0);
    assertThat(s.returns).isEqualTo(1);
    assertThat(s.returnedValue).isEqualTo(30.0);
  }

  @Test
  void aReturnOfAnUnknownOrderComesOffTheLatestPurchaseDayBeforeIt() {
    FeatureState s =
        fold(
            Fold.event("purchase", MAY, Map.of("orderId", "o1", "amount", 100)),
            Fold.event("purchase", MAY_20, Map.of("orderId", "o2", "amount", 60)),
            Fold.event("refund", MAY_20.plusSeconds(3600), Map.of("orderId", "x", "amount", 80)));
    // never below 0: the repeat day's net value is 0, the first day keeps its 100
    assertThat(s.purchaseDays.lastEntry().getValue()).isZero();
    assertThat(s.purchaseDays.firstEntry().getValue()).isEqualTo(100.0);
    // the Gamma-Gamma input: the mean net value of the repeat days
    assertThat(
            s.repeatSummary(MAY_20.plusSeconds(86_400 * 7).getEpochSecond() / 86_400)
                .meanRepeatValue())
        .isZero();
  }

  @Test
  void aReturnBeforeAnyPurchaseOnlyCountsAsReturned() {
    FeatureState s = fold(Fold.event("return", MAY, Map.of("orderId", "old", "amount", 25)));
    assertThat(s.purchaseDays).isEmpty();
    assertThat(s.returnedValue).isEqualTo(25.0);
  }

  @Test
  void theOrdersRememberedAreBounded() {
    FeatureState s = new FeatureState();
    for (int i = 0; i < FeatureState.MAX_ORDERS + 50; i++) {
      s.rememberOrder("o" + i, 20_000 + i);
    }
    assertThat(s.orderDays).hasSize(FeatureState.MAX_ORDERS).containsKey("o449");
    assertThat(s.orderDays).doesNotContainKey("o0");
  }
}
