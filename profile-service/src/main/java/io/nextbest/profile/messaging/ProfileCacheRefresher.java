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
  public Uni<Void> onSnapshot(org.eclipse.microprofile.reactive.messaging.Message<String> message) {
    return Uni.createFrom()
        .deferred(() -> handle(message.getPayload(), keyOf(message)))
        .onItemOrFailure()
        .transformToUni(
            (ok, e) ->
                Uni.createFrom().completionStage(e == null ? message.ack() : message.nack(e)));
  }

  private static String keyOf(org.eclipse.microprofile.reactive.messaging.Message<String> m) {
    return m.getMetadata(io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata.class)
        .map(md -> md.getKey() == null ? null : md.getKey().toString())
        .orElse(null);
  }

  Uni<Void> handle(String payload, String key) {
    if (payload == null) {
      // tombstone of an erased customer
      return key == null
          ? Uni.createFrom().voidItem()
          : cache.evict(key).onFailure().recoverWithNull().replaceWithVoid();
    }
    ProfileSnapshot snapshot = json.read(payload, ProfileSnapshot.class);
    // A cache that cannot be written is only a cache: the next read falls back to PostgreSQL.
    return cache.put(snapshot).onFailure().recoverWithNull().replaceWithVoid();
  }
}
