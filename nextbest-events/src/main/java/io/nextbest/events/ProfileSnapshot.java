package io.nextbest.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The latest state of one customer, as published on {@link Topics#PROFILES} (compacted by key; a
 * null record is the tombstone of an erased customer).
 *
 * @param id unique per customer and version ({@code customerId:version}), so consumers dedupe
 * @param type always {@link #TYPE}
 * @param customerId the customer
 * @param occurredAt when this version was written
 * @param version increases by one with every change of the profile
 * @param attributes profile attributes (email, name, locale, timezone, birthdate, country, traits)
 * @param features computed features (RFM, average order value, engagement, top categories, ...)
 * @param predictions BG/NBD + Gamma-Gamma predictions (P(alive), churn risk, CLV, ...)
 * @param consents consent per channel: {"email": {"granted": true, "source": ..., "at": ...}}
 * @param segments ids of the segments the customer belongs to
 * @param changedAt when the change this version records happened: the latest time of the events
 *     folded into it, else when it was written; null from a publisher that does not say (read as
 *     now)
 */
public record ProfileSnapshot(
    String id,
    String type,
    String customerId,
    Instant occurredAt,
    long version,
    Map<String, Object> attributes,
    Map<String, Object> features,
    Map<String, Object> predictions,
    Map<String, Object> consents,
    List<String> segments,
    Instant changedAt) {

  public static final String TYPE = "profile.snapshot";

  public static String idOf(String customerId, long version) {
    return customerId + ":" + version;
  }
}
