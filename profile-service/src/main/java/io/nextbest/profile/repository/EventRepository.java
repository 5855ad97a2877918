package io.nextbest.profile.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;

/** Stores accepted events; the event id is the primary key, so replays are no-ops. */
@ApplicationScoped
public class EventRepository {

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
}
