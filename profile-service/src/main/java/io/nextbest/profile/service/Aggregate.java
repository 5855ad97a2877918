package io.nextbest.profile.service;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a set of newly accepted events adds to one customer's running aggregates.
 *
 * @param events number of events
 * @param purchases number of purchases
 * @param monetary sum of purchase amounts
 * @param first earliest occurrence
 * @param last latest occurrence
 */
public record Aggregate(
    long events, long purchases, BigDecimal monetary, Instant first, Instant last) {

  public static Aggregate of(String type, BigDecimal amount, Instant at) {
    boolean purchase = "purchase".equals(type);
    return new Aggregate(1, purchase ? 1 : 0, purchase ? amount : BigDecimal.ZERO, at, at);
  }

  public Aggregate plus(Aggregate o) {
    return new Aggregate(
        events + o.events,
        purchases + o.purchases,
        monetary.add(o.monetary),
        first.isBefore(o.first) ? first : o.first,
        last.isAfter(o.last) ? last : o.last);
  }
}
