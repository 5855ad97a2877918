package io.nextbest.profile.segments;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Topics;
import io.nextbest.profile.repository.OutboxRepository;
import io.nextbest.profile.repository.SegmentMemberRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
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

  /** Whether an event type is one of the segment events this service publishes itself. */
  public static boolean isSegmentEvent(String type) {
    return ENTERED.equals(type) || EXITED.equals(type);
  }

  private final JsonCodec json;
  private final SegmentMemberRepository members;
  private final OutboxRepository outbox;

  public SegmentMemberships(
      JsonCodec json, SegmentMemberRepository members, OutboxRepository outbox) {
    this.json = json;
    this.members = members;
    this.outbox = outbox;
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
      chain = chain.chain(() -> members.leave(customerId, exited));
    }
    for (String id : entered) {
      chain = chain.chain(() -> members.enter(customerId, id, at));
    }
    for (String id : exited) {
      chain = chain.chain(() -> publish(customerId, id, EXITED, version, at));
    }
    for (String id : entered) {
      chain = chain.chain(() -> publish(customerId, id, ENTERED, version, at));
    }
    return chain;
  }

  private Uni<Void> publish(String customerId, String segmentId, String type, long v, Instant at) {
    return outbox.queue(Topics.EVENTS, customerId, event(customerId, segmentId, type, v, at));
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
