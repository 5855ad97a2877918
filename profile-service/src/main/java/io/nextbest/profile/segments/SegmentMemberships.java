package io.nextbest.profile.segments;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Topics;
import io.nextbest.profile.domain.OutboxMessage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Records membership changes in the caller's transaction: the member rows, and one {@code
 * segment_entered} / {@code segment_exited} event per change on {@code nextbest.events.v1} (via the
 * outbox), so journeys can trigger on them.
 */
@ApplicationScoped
public class SegmentMemberships {
  public static final String ENTERED = "segment_entered";
  public static final String EXITED = "segment_exited";

  private final JsonCodec json;

  public SegmentMemberships(JsonCodec json) {
    this.json = json;
  }

  public Uni<Void> apply(
      String customerId, List<String> before, List<String> after, long version, Instant time) {
    Instant at = time == null ? Instant.now() : time;
    List<String> exited = new ArrayList<>(before);
    exited.removeAll(after);
    List<String> entered = new ArrayList<>(after);
    entered.removeAll(before);
    Uni<Void> chain = Uni.createFrom().voidItem();
    if (!exited.isEmpty()) {
      chain =
          chain.chain(
              () ->
                  Panache.getSession()
                      .chain(
                          s ->
                              s.createNativeQuery(
                                      "delete from segment_members where customer_id = :c"
                                          + " and segment_id in (:ids)")
                                  .setParameter("c", customerId)
                                  .setParameter("ids", exited)
                                  .executeUpdate())
                      .replaceWithVoid());
    }
    for (String id : entered) {
      chain =
          chain.chain(
              () ->
                  Panache.getSession()
                      .chain(
                          s ->
                              // a segment deleted meanwhile gets no member
                              s.createNativeQuery(
                                      "insert into segment_members (segment_id, customer_id,"
                                          + " entered_at) select id, :c, :at from segments"
                                          + " where id = :s on conflict do nothing")
                                  .setParameter("s", id)
                                  .setParameter("c", customerId)
                                  .setParameter("at", at.atOffset(ZoneOffset.UTC))
                                  .executeUpdate())
                      .replaceWithVoid());
    }
    for (String id : exited) {
      chain = chain.chain(() -> publish(customerId, id, EXITED, version, at));
    }
    for (String id : entered) {
      chain = chain.chain(() -> publish(customerId, id, ENTERED, version, at));
    }
    return chain;
  }

  /** Removes every membership of the given customer ids (erasure). */
  public Uni<Integer> forget(List<String> customerIds) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery("delete from segment_members where customer_id in (:ids)")
                    .setParameter("ids", customerIds)
                    .executeUpdate());
  }

  private Uni<Void> publish(String customerId, String segmentId, String type, long v, Instant at) {
    return OutboxMessage.of(Topics.EVENTS, customerId, event(customerId, segmentId, type, v, at))
        .persist()
        .replaceWithVoid();
  }

  /** The segment_entered / segment_exited event as published on the events topic. */
  public String event(String customerId, String segmentId, String type, long v, Instant at) {
    return json.write(
        new CustomerEvent(
            "segment:" + segmentId + ":" + customerId + ":" + v + ":" + type,
            type,
            customerId,
            at,
            Map.of("segmentId", segmentId, "profileVersion", v)));
  }
}
