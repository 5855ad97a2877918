package io.nextbest.profile.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.events.Topics;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.domain.OutboxMessage;
import io.nextbest.profile.segments.SegmentCatalog;
import io.nextbest.profile.segments.SegmentMemberships;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The one way a changed customer leaves a transaction: the row is written and its new snapshot
 * queued in the outbox, in the caller's transaction (no dual write).
 */
@ApplicationScoped
public class ProfileChanges {
  private final Snapshots snapshots;
  private final SegmentCatalog segments;
  private final SegmentMemberships memberships;
  private final JsonCodec json;

  public ProfileChanges(
      Snapshots snapshots,
      SegmentCatalog segments,
      SegmentMemberships memberships,
      JsonCodec json) {
    this.snapshots = snapshots;
    this.segments = segments;
    this.memberships = memberships;
    this.json = json;
  }

  /**
   * Re-evaluates the customer's segments, persists the customer and queues its snapshot plus an
   * event per segment entered or left; returns the snapshot.
   */
  public Uni<ProfileSnapshot> snapshotOf(Customer c) {
    ProfileSnapshot before = snapshots.of(c);
    List<String> after = segments.membership(before);
    boolean moved = !after.equals(before.segments());
    ProfileSnapshot published = moved ? snapshots.withSegments(before, after) : before;
    if (moved) {
      snapshots.storeSegments(c, after);
    }
    return c.<Customer>persist()
        .call(
            () ->
                moved
                    ? memberships.apply(
                        c.customerId, before.segments(), after, c.version, c.updatedAt)
                    : Uni.createFrom().voidItem())
        .chain(
            () -> OutboxMessage.of(Topics.PROFILES, c.customerId, json.write(published)).persist())
        .replaceWith(published);
  }
}
