package io.nextbest.profile.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.events.ProfileSnapshot;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Hot profile snapshots in Redis, written here and read by every service through {@link
 * ProfileLookup}. Only a cache: entries expire, and a miss or an outage falls back to PostgreSQL.
 */
@ApplicationScoped
public class ProfileCache {
  static final Duration TTL = Duration.ofHours(24);

  private final ReactiveValueCommands<String, String> values;
  private final ProfileLookup lookup;
  private final JsonCodec json;

  public ProfileCache(ReactiveRedisDataSource redis, ProfileLookup lookup, JsonCodec json) {
    this.values = redis.value(String.class, String.class);
    this.lookup = lookup;
    this.json = json;
  }

  public Uni<ProfileSnapshot> get(String customerId) {
    return lookup.find(customerId);
  }

  public Uni<Void> evict(String customerId) {
    return values.getdel(ProfileLookup.PREFIX + customerId).replaceWithVoid();
  }

  public Uni<Void> put(ProfileSnapshot snapshot) {
    return values.set(
        ProfileLookup.PREFIX + snapshot.customerId(), json.write(snapshot), new SetArgs().ex(TTL));
  }
}
