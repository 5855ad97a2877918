package io.nextbest.profile.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.profile.domain.IncomingEvent;
import io.nextbest.profile.features.Currencies;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Currencies CURRENCIES =
      new Currencies("EUR", Map.of("GBP", new BigDecimal("1.17"), "USD", new BigDecimal("0.92")));

  private static String fieldOf(IncomingEvent e) {
    return EventValidator.check(0, e, NOW, CURRENCIES)
        .map(IngestResult.Rejection::field)
        .orElse(null);
  }

  @Test
  void anAmountBeyondABillionIsRejectedOnItsOwn() {
    assertThat(fieldOf(purchase(Map.of("amount", 1_000_000_000)))).isNull();
    var refused = EventValidator.check(3, purchase(Map.of("amount", 1e15)), NOW, CURRENCIES);
    assertThat(refused).isPresent();
    assertThat(refused.get().index()).isEqualTo(3);
    assertThat(refused.get().field()).isEqualTo("properties.amount");
    assertThat(refused.get().reason()).isEqualTo("must be from 0 to 1000000000");
  }

  @Test
  void aCurrencyWithoutARateIsRejectedNamingThoseAccepted() {
    assertThat(fieldOf(purchase(Map.of("amount", 5, "currency", "GBP")))).isNull();
    assertThat(fieldOf(purchase(Map.of("amount", 5, "currency", "EUR")))).isNull();
    assertThat(fieldOf(purchase(Map.of("amount", 5)))).isNull();
    var refused =
        EventValidator.check(0, purchase(Map.of("amount", 5, "currency", "JPY")), NOW, CURRENCIES);
    assertThat(refused.get().field()).isEqualTo("properties.currency");
    assertThat(refused.get().reason())
        .isEqualTo(
            "no conversion rate from JPY to the base currency EUR: send one of EUR, GBP, USD"
                + " (rates: nextbest.currency.rates)");
  }

  @Test
  void acceptsWellFormedEvents() {
    assertThat(fieldOf(new IncomingEvent("e-1", "c-1", "view", null, null))).isNull();
    assertThat(fieldOf(new IncomingEvent("e-1", "c-1", "purchase", NOW, Map.of("amount", 0))))
        .isNull();
  }

  @Test
  void namesTheFieldAtFault() {
    assertThat(fieldOf(new IncomingEvent(null, "c", "view", null, null))).isEqualTo("eventId");
    assertThat(fieldOf(new IncomingEvent("e", " ", "view", null, null))).isEqualTo("customerId");
    assertThat(fieldOf(new IncomingEvent("e", "c", "VIEW!", null, null))).isEqualTo("type");
    assertThat(fieldOf(new IncomingEvent("e", "c", "purchase", null, Map.of())))
        .isEqualTo("properties.amount");
    assertThat(fieldOf(new IncomingEvent("e", "c", "purchase", null, Map.of("amount", -0.01))))
        .isEqualTo("properties.amount");
  }

  @Test
  void allowsClockSkewUpToOneDay() {
    Instant almost = NOW.plus(Duration.ofHours(23));
    Instant tooFar = NOW.plus(Duration.ofHours(25));
    assertThat(fieldOf(new IncomingEvent("e", "c", "view", almost, null))).isNull();
    assertThat(fieldOf(new IncomingEvent("e", "c", "view", tooFar, null))).isEqualTo("occurredAt");
  }

  @Test
  void refusesTimesPostgresCannotHoldAndTheSegmentEventTypes() {
    // accepted events are folded later: what the fold could not store is refused up front
    assertThat(
            fieldOf(
                new IncomingEvent("e", "c", "view", Instant.parse("-5000-01-01T00:00:00Z"), null)))
        .isEqualTo("occurredAt");
    assertThat(
            fieldOf(
                new IncomingEvent("e", "c", "view", Instant.parse("1899-12-31T23:59:59Z"), null)))
        .isEqualTo("occurredAt");
    assertThat(
            fieldOf(
                new IncomingEvent("e", "c", "view", Instant.parse("1997-01-01T00:00:00Z"), null)))
        .isNull();
    assertThat(fieldOf(new IncomingEvent("e", "c", "segment_entered", null, null)))
        .isEqualTo("type");
    assertThat(fieldOf(new IncomingEvent("e", "c", "segment_exited", null, null)))
        .isEqualTo("type");
  }

  @Test
  void rejectsUnknownFieldOnKnownTypeButAcceptsCustomPayloads() {
    assertThat(fieldOf(new IncomingEvent("e", "c", "purchase", null, Map.of("ammount", 5))))
        .isEqualTo("properties.amount");
    assertThat(
            fieldOf(new IncomingEvent("e", "c", "view", null, Map.of("sku", "A", "colour", "red"))))
        .isEqualTo("properties.colour");
    assertThat(
            fieldOf(
                new IncomingEvent(
                    "e", "c", "wishlist_add", null, Map.of("anything", Map.of("nested", 1)))))
        .isNull();
  }

  @Test
  void checksTypedFieldsOfEachKnownType() {
    assertThat(fieldOf(new IncomingEvent("e", "c", "search", null, Map.of())))
        .isEqualTo("properties.query");
    assertThat(fieldOf(new IncomingEvent("e", "c", "review", null, Map.of("rating", 6))))
        .isEqualTo("properties.rating");
    assertThat(
            fieldOf(
                new IncomingEvent(
                    "e", "c", "add_to_cart", null, Map.of("sku", "A", "quantity", 1.5))))
        .isEqualTo("properties.quantity");
    assertThat(
            fieldOf(
                new IncomingEvent(
                    "e", "c", "purchase", null, Map.of("amount", 3, "currency", "euro"))))
        .isEqualTo("properties.currency");
    var items =
        java.util.List.of(Map.of("sku", "A", "price", 2, "quantity", 1), Map.of("price", 1));
    assertThat(
            fieldOf(
                new IncomingEvent("e", "c", "purchase", null, Map.of("amount", 3, "items", items))))
        .isEqualTo("properties.items[1].sku");
  }

  @Test
  void checksDiscountCouponChannelAndPushOpenFields() {
    assertThat(fieldOf(purchase(Map.of("amount", 10, "discount", 2.5, "coupon", "SPRING"))))
        .isNull();
    assertThat(fieldOf(purchase(Map.of("amount", 10, "discount", -1))))
        .isEqualTo("properties.discount");
    assertThat(fieldOf(purchase(Map.of("amount", 10, "discount", Double.POSITIVE_INFINITY))))
        .isEqualTo("properties.discount");
    assertThat(fieldOf(purchase(Map.of("amount", 10, "coupon", "x".repeat(5001)))))
        .isEqualTo("properties.coupon");
    assertThat(fieldOf(new IncomingEvent("e", "c", "click", null, Map.of("channel", "in-app"))))
        .isNull();
    assertThat(fieldOf(new IncomingEvent("e", "c", "click", null, Map.of("channel", "fax"))))
        .isEqualTo("properties.channel");
    assertThat(fieldOf(new IncomingEvent("e", "c", "push_open", null, Map.of("messageId", "m"))))
        .isNull();
    assertThat(fieldOf(new IncomingEvent("e", "c", "push_open", null, Map.of("platform", "ios"))))
        .isEqualTo("properties.platform");
  }

  private static IncomingEvent purchase(Map<String, Object> props) {
    return new IncomingEvent("e", "c", "purchase", null, props);
  }
}
