package io.nextbest.common.profile;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.ProfileSnapshot;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads the hot profile snapshots that profile-service keeps in Redis. A miss returns null; callers
 * treat an outage like a miss and decide without the profile rather than fail.
 */
@ApplicationScoped
public class ProfileLookup {
  /** Key prefix written by profile-service's profile cache. */
  public static final String PREFIX = "nextbest:profile:";

  private final ReactiveValueCommands<String, String> values;
  private final JsonCodec json;

  public ProfileLookup(ReactiveRedisDataSource redis, JsonCodec json) {
    this.values = redis.value(String.class, String.class);
    this.json = json;
  }

  /** The cached snapshot, or null when not cached. */
  public Uni<ProfileSnapshot> find(String customerId) {
    return findJson(customerId).map(v -> v == null ? null : json.read(v, ProfileSnapshot.class));
  }

  /** Cached snapshots of many customers in one round trip; misses are absent from the map. */
  public Uni<java.util.Map<String, ProfileSnapshot>> findAll(
      java.util.Collection<String> customerIds) {
    if (customerIds.isEmpty()) {
      return Uni.createFrom().item(java.util.Map.of());
    }
    String[] keys = customerIds.stream().distinct().map(id -> PREFIX + id).toArray(String[]::new);
    return values
        .mget(keys)
        .map(
            found -> {
              java.util.Map<String, ProfileSnapshot> out = new java.util.HashMap<>();
              found.forEach(
                  (key, v) -> {
                    if (v != null) {
                      out.put(key.substring(PREFIX.length()), json.read(v, ProfileSnapshot.class));
                    }
                  });
              return out;
            });
  }

  /** The cached snapshot as the JSON text it is stored as, or null when not cached. */
  public Uni<String> findJson(String customerId) {
    return values.get(PREFIX + customerId);
  }
}
