package io.nextbest.profile.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.profile.domain.IncomingEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private static String fieldOf(IncomingEvent e) {
    return EventValidator.check(0, e, NOW).map(IngestResult.Rejection::field).orElse(null);
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
