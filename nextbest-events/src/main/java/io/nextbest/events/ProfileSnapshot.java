package io.nextbest.events;

import java.time.Instant;
import java.util.Map;

/**
 * The latest state of one customer, as published on {@link Topics#PROFILES} (compacted by key).
 *
 * @param id unique per customer and version ({@code customerId:version}), so consumers dedupe
 * @param type always {@link #TYPE}
 * @param customerId the customer
 * @param occurredAt when this version was written
 * @param version increases by one with every change of the profile
 * @param attributes profile attributes (email, name, locale, ...)
 * @param features computed features (counts, monetary value, recency)
 */
public record ProfileSnapshot(
    String id,
    String type,
    String customerId,
    Instant occurredAt,
    long version,
    Map<String, Object> attributes,
    Map<String, Object> features) {

  public static final String TYPE = "profile.snapshot";

  public static String idOf(String customerId, long version) {
    return customerId + ":" + version;
  }
}
