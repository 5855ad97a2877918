package io.nextbest.profile.features;

import static io.nextbest.profile.features.Fold.event;
import static io.nextbest.profile.features.Fold.features;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PriceSensitivityTest {

  @Test
  void ordersWithDiscountOrCouponMakeTheDiscountShare() {
    var f =
        features(
            event("purchase", Map.of("amount", 20, "discount", 5)),
            event("purchase", Map.of("amount", 20, "coupon", "SPRING10")),
            event("purchase", Map.of("amount", 20, "discount", 0, "coupon", "  ")),
            event("purchase", Map.of("amount", 20)));
    assertThat(f.get("discountOrderShare")).isEqualTo(0.5);
    assertThat(f.get("discountEventCount")).isEqualTo(0L);
    assertThat(f.get("priceSensitivity")).isEqualTo(0.5);
  }

  @Test
  void configuredEventTypesCountAsDiscountUses() {
    var f =
        features(
            event("purchase", Map.of("amount", 20, "discount", 2.5)),
            event("purchase", Map.of("amount", 20)),
            event("purchase", Map.of("amount", 20)),
            event("coupon_redeemed", Map.of("code", "X")),
            event("discount_code_used", Map.of()),
            event("wishlist_add", Map.of()));
    assertThat(f.get("discountEventCount")).isEqualTo(2L);
    assertThat(f.get("discountOrderShare")).isEqualTo(0.3333);
    // (1 order + 2 events) / (3 purchases + 2 events)
    assertThat(f.get("priceSensitivity")).isEqualTo(0.6);
  }

  @Test
  void theDiscountEventTypesComeFromConfiguration() {
    var ctx = new EventFacts.Context(ZoneOffset.UTC, null, Set.of("voucher_applied"));
    var f =
        features(
            ctx,
            event("voucher_applied", Map.of()),
            event("coupon_redeemed", Map.of()),
            event("voucher_applied", Map.of()));
    assertThat(f.get("discountEventCount")).isEqualTo(2L);
    // no purchases yet: two discount uses out of two
    assertThat(f.get("priceSensitivity")).isEqualTo(1.0);
    assertThat(f.get("discountOrderShare")).isEqualTo(0.0);
  }

  @Test
  void noPurchasesNorDiscountsGiveZero() {
    var f = features(event("view", Map.of("sku", "A")));
    assertThat(f.get("discountOrderShare")).isEqualTo(0.0);
    assertThat(f.get("priceSensitivity")).isEqualTo(0.0);
  }
}
