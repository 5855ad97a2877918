package io.nextbest.profile.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;

/** Stores accepted events; the event id is the primary key, so replays are no-ops. */
@ApplicationScoped
public class EventRepository {
  private final io.nextbest.common.messaging.JsonCodec json;

  public EventRepository(io.nextbest.common.messaging.JsonCodec json) {
    this.json = json;
  }

  /** Inserts the event unless its id is already stored; true when it was new. */
  public Uni<Boolean> insertIfNew(
      String eventId, String customerId, String type, Instant occurredAt, String propertiesJson) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into events (event_id, customer_id, type, occurred_at, properties)"
                            + " values (:id, :customer, :type, :at, cast(cast(:props as text) as jsonb))"
                            + " on conflict (event_id) do nothing")
                    .setParameter("id", eventId)
                    .setParameter("customer", customerId)
                    .setParameter("type", type)
                    .setParameter("at", occurredAt.atOffset(ZoneOffset.UTC))
                    .setParameter("props", propertiesJson)
                    .executeUpdate())
        .map(rows -> rows == 1);
  }

  public Uni<Long> countForCustomer(String customerId) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "select count(*) from events where customer_id = :customer", Long.class)
                    .setParameter("customer", customerId)
                    .getSingleResult());
  }

  /** Moves an alias's events to the customer it was merged into. */
  public Uni<Integer> rekey(String from, String to) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery("update events set customer_id = :to where customer_id = :from")
                    .setParameter("to", to)
                    .setParameter("from", from)
                    .executeUpdate());
  }

  /** Deletes every event of these customer ids (erasure). */
  public Uni<Integer> deleteFor(java.util.Collection<String> customerIds) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery("delete from events where customer_id in (:ids)")
                    .setParameter("ids", customerIds)
                    .executeUpdate());
  }

  /** A customer's events, oldest first, for export. */
  public Uni<java.util.List<java.util.Map<String, Object>>> listFor(String customerId) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "select json_build_object('eventId', event_id, 'type', type, 'occurredAt',"
                            + " occurred_at, 'properties', properties)::text from events"
                            + " where customer_id = :customer order by occurred_at, event_id",
                        String.class)
                    .setParameter("customer", customerId)
                    .getResultList())
        .map(rows -> rows.stream().map(this::parse).toList());
  }

  @SuppressWarnings("unchecked")
  private java.util.Map<String, Object> parse(String row) {
    return json.read(row, java.util.Map.class);
  }
}
