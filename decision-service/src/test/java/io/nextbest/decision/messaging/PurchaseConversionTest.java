package io.nextbest.decision.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Outcome;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PurchaseConversionTest {
  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  private static CustomerEvent purchase(Map<String, Object> properties) {
    return new CustomerEvent("e-1", "purchase", "c-1", AT, properties);
  }

  @Test
  void aPurchaseIsAConversionWorthItsAmountWithItsOrderId() {
    Outcome o = PurchaseConsumer.conversion(purchase(Map.of("amount", 12.5, "orderId", "o-7")));
    assertThat(o.id()).isEqualTo("purchase:e-1");
    assertThat(o.type()).isEqualTo("conversion");
    assertThat(o.customerId()).isEqualTo("c-1");
    assertThat(o.occurredAt()).isEqualTo(AT);
    assertThat(o.value()).isEqualTo(12.5);
    assertThat(o.orderId()).isEqualTo("o-7");
  }

  @Test
  void aNegativeOrNonNumericAmountAndABlankOrderIdAreLeftOut() {
    Map<String, Object> p = new HashMap<>();
    p.put("amount", -3);
    p.put("orderId", " ");
    Outcome o = PurchaseConsumer.conversion(purchase(p));
    assertThat(o.value()).isNull();
    assertThat(o.orderId()).isNull();
    assertThat(PurchaseConsumer.conversion(purchase(Map.of("amount", "12"))).value()).isNull();
    assertThat(PurchaseConsumer.conversion(purchase(null)).value()).isNull();
  }

  @Test
  void otherEventsAndPurchasesWithoutATimeAreNoConversion() {
    assertThat(PurchaseConsumer.conversion(new CustomerEvent("e-2", "view", "c-1", AT, Map.of())))
        .isNull();
    assertThat(
            PurchaseConsumer.conversion(
                new CustomerEvent("e-3", "purchase", "c-1", null, Map.of())))
        .isNull();
  }
}
