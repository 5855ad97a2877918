package io.nextbest.events;

import java.time.Instant;

/**
 * An outcome of a decision on {@link Topics#OUTCOMES}.
 *
 * @param id outcome id (client supplied; duplicates ignored)
 * @param type outcome type: impression, open, click, conversion, unsubscribe
 * @param customerId the customer
 * @param occurredAt when it happened
 * @param decisionId the decision it belongs to
 * @param value monetary value of a conversion, else null
 */
public record Outcome(
    String id,
    String type,
    String customerId,
    Instant occurredAt,
    String decisionId,
    Double value) {}
