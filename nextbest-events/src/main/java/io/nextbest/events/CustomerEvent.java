package io.nextbest.events;

import java.time.Instant;
import java.util.Map;

/**
 * An accepted behavioural event, as published on {@link Topics#EVENTS}.
 *
 * @param id the client's event id; replays of the same id are ignored
 * @param type event type (view, search, add_to_cart, purchase, ...)
 * @param customerId the customer the event belongs to (known or anonymous id)
 * @param occurredAt when the event happened on the client
 * @param properties typed fields of the event, by name
 */
public record CustomerEvent(
    String id,
    String type,
    String customerId,
    Instant occurredAt,
    Map<String, Object> properties) {}
