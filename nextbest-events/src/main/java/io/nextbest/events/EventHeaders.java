package io.nextbest.events;

/**
 * Kafka header names every producer and consumer of NextBest records shares. Header values are
 * UTF-8 text.
 */
public final class EventHeaders {
  /**
   * The record's event type, the same text as its payload's top-level {@code type} field (for
   * example {@code purchase} or {@code profile.snapshot}), so a consumer can skip records of other
   * types without parsing them. Absent on tombstones and on records published before it existed.
   */
  public static final String EVENT_TYPE = "nextbest-event-type";

  private EventHeaders() {}
}
