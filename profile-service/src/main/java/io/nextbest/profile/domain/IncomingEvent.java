package io.nextbest.profile.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One event of an ingest batch, as a client sends it.
 *
 * @param eventId client event id; a replay of an accepted id is acknowledged and ignored
 * @param customerId known or anonymous customer id
 * @param type event type, e.g. view, search, add_to_cart, purchase
 * @param occurredAt when it happened; defaults to the time it was received
 * @param properties the event's fields (for a purchase: amount, currency, orderId, items)
 */
public record IncomingEvent(
    String eventId,
    String customerId,
    String type,
    Instant occurredAt,
    Map<String, Object> properties) {}
