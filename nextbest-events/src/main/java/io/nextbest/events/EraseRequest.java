package io.nextbest.events;

import java.time.Instant;

/**
 * A request on {@link Topics#PRIVACY} to erase everything held about a customer.
 *
 * @param id request id
 * @param type always {@link #TYPE}
 * @param customerId the customer to erase
 * @param occurredAt when the request was made
 */
public record EraseRequest(String id, String type, String customerId, Instant occurredAt) {
  public static final String TYPE = "privacy.erase";
}
