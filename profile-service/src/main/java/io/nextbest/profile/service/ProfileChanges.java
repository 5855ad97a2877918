package io.nextbest.profile.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.events.Topics;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.repository.CustomerRepository;
import io.nextbest.profile.repository.OutboxRepository;
import io.nextbest.profile.segments.SegmentCatalog;
import io.nextbest.profile.segments.SegmentMemberships;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * The one way a changed customer leaves a transaction: its segments are re-evaluated, the row is
 * written and its new snapshot (plus an event per segment entered or left) queued in the outbox, in
 * the caller's transaction (no dual write).
 */
@ApplicationScoped
public class ProfileChanges {
  private final Snapshots snapshots;
  private final SegmentCatalog segments;
  private final SegmentMemberships memberships;
  private final JsonCodec json;
  private final CustomerRepository customers;
  private final OutboxRepository outbox;

  public ProfileChanges(
      CustomerRepository customers,
      OutboxRepository outbox,
      Snapshots snapshots,
      SegmentCatalog segments,
      SegmentMemberships memberships,
      JsonCodec json) {
    this.customers = customers;
    this.outbox = outbox;
    this.snapshots = snapshots;
    this.segments = segments;
    this.memberships = memberships;
    this.json = json;
  }

  /**
   * A customer version ready to be written: its snapshot, the segments it was in and is in now.
   *
   * @param snapshot the snapshot to publish (with the new memberships)
   * @param before segment ids of the previous version
   */
  public record Change(Customer customer, ProfileSnapshot snapshot, List<String> before) {
    public boolean moved() {
      return !before.equals(snapshot.segments());
    }

    public List<String> after() {
      return snapshot.segments();
    }
  }

  /** Derives the new snapshot and segments of a changed customer (no I/O). */
  public Change prepare(Customer c) {
    return prepare(c, null);
  }

  /**
   * The same for a version that folded events, {@code changedAt} the latest of their times (see
   * {@link Snapshots#of(Customer, Instant)}).
   */
  public Change prepare(Customer c, Instant changedAt) {
    ProfileSnapshot current = snapshots.of(c, changedAt);
    List<String> after = segments.membership(current);
    if (after.equals(current.segments())) {
      return new Change(c, current, current.segments());
    }
    snapshots.storeSegments(c, after);
    return new Change(c, snapshots.withSegments(current, after), current.segments());
  }

  /** The snapshot as published on the profiles topic. */
  public String payload(Change change) {
    return json.write(change.snapshot());
  }

  /**
   * Re-evaluates the customer's segments, persists the customer (Hibernate session) and queues its
   * snapshot plus an event per segment entered or left; returns the snapshot.
   */
  public Uni<ProfileSnapshot> snapshotOf(Customer c) {
    Change change = prepare(c);
    return customers
        .save(c)
        .call(
            () ->
                change.moved()
                    ? memberships.apply(
                        c.customerId, change.before(), change.after(), c.version, c.updatedAt)
                    : Uni.createFrom().voidItem())
        .call(() -> outbox.queue(Topics.PROFILES, c.customerId, payload(change)))
        .replaceWith(change.snapshot());
  }

  /**
   * The customer's next version, as {@link #snapshotOf}: the version raised and stamped now, then
   * written and queued.
   */
  public Uni<ProfileSnapshot> nextVersion(Customer c) {
    c.version++;
    c.updatedAt = Instant.now();
    return snapshotOf(c);
  }
}
