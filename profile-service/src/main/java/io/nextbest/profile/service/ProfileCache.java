package io.nextbest.profile.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.events.ProfileSnapshot;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * Hot profile snapshots in Redis, written here and read by every service through {@link
 * ProfileLookup}. Only a cache: entries expire, and a miss or an outage falls back to PostgreSQL.
 *
 * <p>Writes never go back in time: a snapshot replaces the cached one only if its version is not
 * older (checked inside Redis), so a late copy arriving from the profiles topic cannot overwrite
 * the version a request just committed.
 */
@ApplicationScoped
public class ProfileCache {
  static final Duration TTL = Duration.ofHours(24);

  /** Longer than a snapshot can take from the outbox to the cache consumer. */
  static final Duration GONE_TTL = Duration.ofHours(1);

  /**
   * KEYS: the profile keys, then the erased marker key of each; ARGV: ttl seconds, then json and
   * version per profile key.
   */
  static final String PUT_IF_NEWER =
      """
      local written = 0
      local n = #KEYS / 2
      for i = 1, n do
        local key = KEYS[i]
        local json = ARGV[2 * i]
        local version = tonumber(ARGV[2 * i + 1])
        local current = redis.call('GET', key)
        local writable = redis.call('EXISTS', KEYS[n + i]) == 0
        if writable and current then
          -- the top-level version precedes every nested object in a snapshot; decode only when
          -- the text does not show it plainly
          local cached = tonumber(string.match(current, '^{[^{}]-"version":(%d+)'))
          if not cached then
            local ok, doc = pcall(cjson.decode, current)
            if ok and type(doc) == 'table' then
              cached = tonumber(doc.version)
            end
          end
          if cached and cached > version then
            writable = false
          end
        end
        if writable then
          redis.call('SET', key, json, 'EX', ARGV[1])
          written = written + 1
        end
      end
      return written
      """;

  /** KEYS: the profile keys, then their erased marker keys; ARGV: the marker's ttl in seconds. */
  static final String MARK_ERASED =
      """
      local n = #KEYS / 2
      for i = 1, n do
        redis.call('DEL', KEYS[i])
        redis.call('SET', KEYS[n + i], '1', 'EX', ARGV[1])
      end
      return n
      """;

  /** Erased marker keys name the SHA-256 of the id, as the erase is remembered in PostgreSQL. */
  static final String ERASED_PREFIX = "nextbest:erased:";

  /** KEYS: profile keys; ARGV: the gone marker, its ttl in seconds. */
  static final String MARK_GONE =
      """
      for _, key in ipairs(KEYS) do
        redis.call('SET', key, ARGV[1], 'EX', ARGV[2])
      end
      return #KEYS
      """;

  private final ReactiveRedisDataSource redis;
  private final ReactiveKeyCommands<String> keys;
  private final ProfileLookup lookup;
  private final JsonCodec json;

  public ProfileCache(ReactiveRedisDataSource redis, ProfileLookup lookup, JsonCodec json) {
    this.redis = redis;
    this.keys = redis.key(String.class);
    this.lookup = lookup;
    this.json = json;
  }

  public Uni<ProfileSnapshot> get(String customerId) {
    return lookup.find(customerId);
  }

  public Uni<String> getJson(String customerId) {
    return lookup.findJson(customerId);
  }

  public Uni<Void> put(ProfileSnapshot snapshot) {
    return putAll(List.of(snapshot));
  }

  /**
   * A snapshot already written as JSON, as published.
   *
   * @param customerId whose snapshot
   * @param version its version
   * @param json the snapshot document
   */
  public record Cached(String customerId, long version, String json) {}

  /** Caches the snapshots in one round trip, each unless a newer version is cached already. */
  public Uni<Void> putAll(Collection<ProfileSnapshot> snapshots) {
    List<Cached> cached = new ArrayList<>(snapshots.size());
    for (ProfileSnapshot s : snapshots) {
      cached.add(new Cached(s.customerId(), s.version(), json.write(s)));
    }
    return putCached(cached);
  }

  /** Caches snapshot documents in one round trip, each unless a newer version is cached already. */
  public Uni<Void> putCached(Collection<Cached> snapshots) {
    if (snapshots.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<String> args = new ArrayList<>(3 + snapshots.size() * 4);
    args.add("EVAL");
    args.add(PUT_IF_NEWER);
    args.add(Integer.toString(2 * snapshots.size()));
    for (Cached s : snapshots) {
      args.add(ProfileLookup.PREFIX + s.customerId());
    }
    for (Cached s : snapshots) {
      args.add(erasedKey(s.customerId()));
    }
    args.add(Long.toString(TTL.toSeconds()));
    for (Cached s : snapshots) {
      args.add(s.json());
      args.add(Long.toString(s.version()));
    }
    // this process answers its own next read from Redis, not from a copy that the invalidation
    // message has yet to remove
    List<String> ids = snapshots.stream().map(Cached::customerId).toList();
    return redis
        .execute(args.get(0), args.subList(1, args.size()).toArray(String[]::new))
        .replaceWithVoid()
        .onTermination()
        .invoke(() -> lookup.forget(ids));
  }

  /**
   * Caches the versions a request just committed. A cache that cannot be reached is only a cache:
   * its entries expire by TTL and the next read falls back to PostgreSQL.
   */
  public Uni<Void> refresh(Collection<ProfileSnapshot> snapshots) {
    return putAll(snapshots).onFailure().recoverWithNull();
  }

  /** As {@link #refresh(Collection)}, for snapshots already written as JSON. */
  public Uni<Void> refreshCached(Collection<Cached> snapshots) {
    return putCached(snapshots).onFailure().recoverWithNull();
  }

  /**
   * Marks merged-away customers' entries gone for {@link #GONE_TTL}: a snapshot of the old profile
   * published before the merge and read from the topic after it is not cached again, and every read
   * in the meantime misses (and finds the merged profile). The alias's tombstone, which follows its
   * last snapshot on the topic, removes the mark. Erasure marks differently ({@link #markErased}):
   * no key may name an erased id.
   */
  public Uni<Void> markGone(Collection<String> customerIds) {
    if (customerIds.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<String> args = new ArrayList<>(4 + customerIds.size());
    args.add(MARK_GONE);
    args.add(Integer.toString(customerIds.size()));
    for (String id : customerIds) {
      args.add(ProfileLookup.PREFIX + id);
    }
    args.add(ProfileLookup.GONE);
    args.add(Long.toString(GONE_TTL.toSeconds()));
    return evalThenForget(args, customerIds);
  }

  /**
   * Removes erased customers' entries and keeps their snapshots out for {@link #GONE_TTL}: a
   * snapshot published before the erase and read from the topic after it is not cached again. The
   * mark names a hash of the id, never the id.
   */
  public Uni<Void> markErased(Collection<String> customerIds) {
    if (customerIds.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<String> args = new ArrayList<>(3 + customerIds.size() * 2);
    args.add(MARK_ERASED);
    args.add(Integer.toString(2 * customerIds.size()));
    for (String id : customerIds) {
      args.add(ProfileLookup.PREFIX + id);
    }
    for (String id : customerIds) {
      args.add(erasedKey(id));
    }
    args.add(Long.toString(GONE_TTL.toSeconds()));
    return evalThenForget(args, customerIds);
  }

  /** Runs a script (its text, key count, keys and arguments), then drops the ids' near copies. */
  private Uni<Void> evalThenForget(List<String> scriptAndArgs, Collection<String> customerIds) {
    return redis
        .execute("EVAL", scriptAndArgs.toArray(String[]::new))
        .replaceWithVoid()
        .onTermination()
        .invoke(() -> lookup.forget(customerIds));
  }

  static String erasedKey(String customerId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(customerId.getBytes(StandardCharsets.UTF_8));
      return ERASED_PREFIX + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /**
   * Removes the customers' entries in one round trip (erasure, tombstones, records that are not
   * snapshots); their next snapshots are cached as usual.
   */
  public Uni<Void> drop(Collection<String> customerIds) {
    if (customerIds.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return keys.del(
            customerIds.stream().map(id -> ProfileLookup.PREFIX + id).toArray(String[]::new))
        .replaceWithVoid()
        .onTermination()
        .invoke(() -> lookup.forget(customerIds));
  }
}
