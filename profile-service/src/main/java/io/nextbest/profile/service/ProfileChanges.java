package io.nextbest.profile.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.events.Topics;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.domain.OutboxMessage;
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
  private final JsonCodec json;

  public ProfileChanges(Snapshots snapshots, JsonCodec json) {
    this.snapshots = snapshots;
    this.json = json;
  }

  /** Persists the customer and queues its snapshot; returns the customer. */
  public Uni<Customer> publish(Customer c) {
    return snapshotOf(c).replaceWith(c);
  }

  /** Persists the customer and queues its snapshot; returns the snapshot. */
  public Uni<ProfileSnapshot> snapshotOf(Customer c) {
    ProfileSnapshot snapshot = snapshots.of(c, List.of());
    return c.<Customer>persist()
        .chain(
            () -> OutboxMessage.of(Topics.PROFILES, c.customerId, json.write(snapshot)).persist())
        .replaceWith(snapshot);
  }
}
