package io.nextbest.profile.features;

import io.nextbest.models.clv.ClvModel;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Folds events into a state and derives its snapshot parts, as profile-service does. */
final class Fold {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final EventFacts.Context CONTEXT =
      new EventFacts.Context(ZoneOffset.UTC, null, Set.of("discount_code_used", "coupon_redeemed"));

  private Fold() {}

  record Event(String type, Instant at, Map<String, Object> props) {}

  static Event event(String type, Instant at, Map<String, Object> props) {
    return new Event(type, at, props);
  }

  static Event event(String type, Map<String, Object> props) {
    return new Event(type, NOW.minusSeconds(3600), props);
  }

  static FeatureState state(EventFacts.Context ctx, List<Event> events) {
    FeatureState s = new FeatureState();
    events.forEach(e -> EventFacts.apply(s, e.type(), e.at(), e.props(), ctx));
    return s;
  }

  static FeatureCalculator.Derived derive(FeatureState s, long purchases) {
    return FeatureCalculator.derive(
        new FeatureCalculator.Counts(purchases + 1, purchases, 0, null, null),
        s,
        Map.of(),
        ClvModel.PRIOR,
        NOW);
  }

  static Map<String, Object> features(EventFacts.Context ctx, Event... events) {
    List<Event> list = List.of(events);
    long purchases = list.stream().filter(e -> e.type().equals("purchase")).count();
    return derive(state(ctx, list), purchases).features();
  }

  static Map<String, Object> features(Event... events) {
    return features(CONTEXT, events);
  }

  static Map<String, Object> item(String category, int quantity) {
    return Map.of("sku", "s-" + category, "category", category, "quantity", quantity);
  }
}
