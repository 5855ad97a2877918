package io.nextbest.profile.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.profile.service.ProfileCache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Keeps the Redis profile cache in step with published snapshots (read-through on a miss). */
@ApplicationScoped
public class ProfileCacheRefresher {
  static final String CHANNEL = "profiles-cache";

  private final ProfileCache cache;
  private final JsonCodec json;

  public ProfileCacheRefresher(ProfileCache cache, JsonCodec json) {
    this.cache = cache;
    this.json = json;
  }

  @Incoming(CHANNEL)
  public Uni<Void> onSnapshot(String payload) {
    ProfileSnapshot snapshot = json.read(payload, ProfileSnapshot.class);
    // A cache that cannot be written is only a cache: the next read falls back to PostgreSQL.
    return cache.put(snapshot).onFailure().recoverWithNull().replaceWithVoid();
  }
}
