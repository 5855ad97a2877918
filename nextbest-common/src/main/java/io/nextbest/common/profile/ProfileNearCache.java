package io.nextbest.common.profile;

import io.nextbest.common.config.ProfileNearCacheConfig;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.redis.RedisNearCache;
import io.nextbest.events.ProfileSnapshot;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The hottest cached profiles, held in this process and kept right by Redis client tracking (see
 * {@link RedisNearCache}): any write, expiry or eviction of a profile key drops the local copy. An
 * entry is kept at most {@code nextbest.profile.near-cache.max-age} (30 s by default); snapshots
 * handed out are shared between callers and must be treated as read-only.
 */
@Singleton
public class ProfileNearCache extends RedisNearCache<ProfileNearCache.Entry> {

  /** A cached document, parsed on first demand. */
  public static final class Entry {
    private final String json;
    private volatile ProfileSnapshot snapshot;

    Entry(String json) {
      this.json = json;
    }

    public String json() {
      return json;
    }

    public ProfileSnapshot snapshot(JsonCodec codec) {
      ProfileSnapshot s = snapshot;
      if (s == null) {
        s = codec.read(json, ProfileSnapshot.class);
        snapshot = s;
      }
      return s;
    }
  }

  @Inject
  public ProfileNearCache(Redis redis, Vertx vertx, ProfileNearCacheConfig config) {
    this(redis, vertx, config.maxEntries(), config.maxBytes(), config.maxAge());
  }

  ProfileNearCache(Redis redis, Vertx vertx, int maxEntries, MemorySize maxBytes, Duration maxAge) {
    super(
        "profile", ProfileLookup.PREFIX, redis, vertx, maxEntries, maxBytes.asLongValue(), maxAge);
  }

  /**
   * The document (Latin-1 compact string) and room for its parsed snapshot, which takes about three
   * times the document once a reader has asked for it.
   */
  @Override
  protected long weight(String id, Entry entry) {
    return 96 + id.length() + 4L * entry.json().length();
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  /**
   * Keeps the document Redis answered for a reserved read, unless an invalidation came first; a
   * null document (no such key) only withdraws the reservation.
   *
   * @return the kept entry, or null when nothing was kept
   */
  public Entry fill(String customerId, Object reservation, String json) {
    return keep(customerId, reservation, json == null ? null : new Entry(json));
  }
}
