package io.nextbest.common.profile;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.ProfileSnapshot;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads the hot profile snapshots that profile-service keeps in Redis, through this process's
 * {@link ProfileNearCache}. A miss returns null; callers treat an outage like a miss and decide
 * without the profile rather than fail.
 */
@ApplicationScoped
public class ProfileLookup {
  /** Key prefix written by profile-service's profile cache. */
  public static final String PREFIX = "nextbest:profile:";

  /**
   * What a merged-away customer's key holds for a while instead of a snapshot: a version no
   * snapshot reaches, so a copy of the old profile still on its way through the profiles topic
   * cannot be cached again; every read takes it for a miss.
   */
  public static final String GONE = "{\"version\":9223372036854775807,\"gone\":true}";

  /** The cached text, or null when absent or marked gone. */
  static String live(String cached) {
    return cached == null || GONE.equals(cached) ? null : cached;
  }

  private final ReactiveValueCommands<String, String> values;
  private final JsonCodec json;
  private final ProfileNearCache near;

  public ProfileLookup(ReactiveRedisDataSource redis, JsonCodec json, ProfileNearCache near) {
    this.values = redis.value(String.class, String.class);
    this.json = json;
    this.near = near;
  }

  /** The cached snapshot (shared: read-only), or null when not cached. */
  public Uni<ProfileSnapshot> find(String customerId) {
    ProfileNearCache.Entry hot = near.get(customerId);
    if (hot != null) {
      return Uni.createFrom().item(hot.snapshot(json));
    }
    Object reservation = near.reserve(customerId);
    return values
        .get(PREFIX + customerId)
        .map(ProfileLookup::live)
        .map(
            v -> {
              if (v == null) {
                near.fill(customerId, reservation, null);
                return null;
              }
              ProfileNearCache.Entry kept = near.fill(customerId, reservation, v);
              return kept != null ? kept.snapshot(json) : json.read(v, ProfileSnapshot.class);
            })
        .onFailure()
        .invoke(() -> near.release(customerId, reservation))
        .onCancellation()
        .invoke(() -> near.release(customerId, reservation));
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
                    if (live(v) != null) {
                      out.put(key.substring(PREFIX.length()), json.read(v, ProfileSnapshot.class));
                    }
                  });
              return out;
            });
  }

  /** The cached snapshot as the JSON text it is stored as, or null when not cached. */
  public Uni<String> findJson(String customerId) {
    ProfileNearCache.Entry hot = near.get(customerId);
    if (hot != null) {
      return Uni.createFrom().item(hot.json());
    }
    Object reservation = near.reserve(customerId);
    return values
        .get(PREFIX + customerId)
        .map(ProfileLookup::live)
        .invoke(v -> near.fill(customerId, reservation, v))
        .onFailure()
        .invoke(() -> near.release(customerId, reservation))
        .onCancellation()
        .invoke(() -> near.release(customerId, reservation));
  }

  /** Drops this process's copies after it wrote or removed these customers' cached snapshots. */
  public void forget(java.util.Collection<String> customerIds) {
    near.forget(customerIds);
  }
}
