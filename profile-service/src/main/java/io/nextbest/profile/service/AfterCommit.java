package io.nextbest.profile.service;

import io.nextbest.events.ProfileSnapshot;
import io.nextbest.profile.messaging.OutboxRelay;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;

/**
 * What follows a committed change: the new profile versions are cached (a cache that cannot be
 * reached is only a cache) and the outbox relay wakes to publish what the transaction queued.
 */
@ApplicationScoped
public class AfterCommit {
  private final ProfileCache cache;
  private final OutboxRelay relay;

  public AfterCommit(ProfileCache cache, OutboxRelay relay) {
    this.cache = cache;
    this.relay = relay;
  }

  /** The relay wakes, and the snapshots a request committed are cached. */
  public Uni<Void> profilesChanged(Collection<ProfileSnapshot> snapshots) {
    relay.trigger();
    return cache.refresh(snapshots);
  }

  /** The snapshot documents a fold of the event log committed are cached, then the relay wakes. */
  public Uni<Void> profilesWritten(Collection<ProfileCache.Cached> snapshots) {
    return cache.refreshCached(snapshots).invoke(relay::trigger);
  }

  /** The relay wakes for messages queued without a profile to cache (an erase). */
  public void queued() {
    relay.trigger();
  }
}
