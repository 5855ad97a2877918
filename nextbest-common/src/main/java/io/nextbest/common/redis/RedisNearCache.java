package io.nextbest.common.redis;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Values of Redis keys under one prefix, held in this process and kept right by Redis itself
 * (server-assisted client-side caching). A dedicated connection turns on {@code CLIENT TRACKING} in
 * broadcast mode for the prefix, redirected to itself, and subscribes to the invalidation channel:
 * any write, expiry or eviction of a key under the prefix, by any client, drops the local copy a
 * fraction of a millisecond later.
 *
 * <p>The cache serves nothing unless that subscription is live. When the connection is lost it
 * empties itself, reads go to Redis again, and it reconnects; it serves again only after a fresh
 * subscription, so a write made while it was deaf can never be hidden by an old copy.
 *
 * <p>Redis announces an expiry only when it deletes the key, which for a key nobody reads may be
 * long after its TTL; an entry is therefore kept at most {@code maxAge} before a read asks Redis
 * again. A write or a deletion is announced at once.
 *
 * <p>A read that misses first {@linkplain #reserve reserves} the id; the value read from Redis is
 * {@linkplain #keep kept} only if no invalidation removed the reservation meanwhile, so a write
 * racing the read cannot leave a stale copy behind. Values are shared between callers and must be
 * immutable or treated as read-only.
 *
 * <p>Memory is bounded twice: at most {@code maxEntries} entries and at most {@code maxBytes} of
 * estimated size ({@link #weight}); past either bound about a tenth of the entries is shed. A read
 * whose Redis call fails withdraws its reservation ({@link #release}).
 *
 * @param <V> what is held per id (the key without its prefix)
 */
public abstract class RedisNearCache<V> {
  private static final Logger LOG = Logger.getLogger(RedisNearCache.class);
  public static final String CHANNEL = "__redis__:invalidate";
  private static final long RECONNECT_MS = 1_000;

  /** A value and the moment it must be asked for again. */
  private record Held<V>(V value, long expiresAt, long weight) {}

  /** A read in flight; only the read that placed it may replace it with a value. */
  private static final class Reservation {}

  private final String name;
  private final String prefix;
  private final Redis redis;
  private final Vertx vertx;
  private final int maxEntries;
  private final long maxBytes;
  private final long maxAgeNanos;
  private final ConcurrentHashMap<String, Object> entries = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();
  private volatile boolean live;
  private volatile boolean stopped;
  private volatile RedisConnection connection;
  private volatile long clientId = -1;

  /**
   * @param name what the cache holds, for log lines
   * @param prefix the key prefix tracked; ids are keys without it
   * @param maxEntries entries held at most; 0 turns the cache off
   * @param maxBytes estimated bytes held at most ({@link #weight} of each value)
   * @param maxAge how long a value is served without asking Redis again
   */
  protected RedisNearCache(
      String name,
      String prefix,
      Redis redis,
      Vertx vertx,
      int maxEntries,
      long maxBytes,
      Duration maxAge) {
    this.name = name;
    this.prefix = prefix;
    this.redis = redis;
    this.vertx = vertx;
    this.maxEntries = maxBytes > 0 ? maxEntries : 0;
    this.maxBytes = maxBytes;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /** Estimated bytes a value takes on the heap, with its id and the entry around it. */
  protected abstract long weight(String id, V value);

  /** Opens the tracking connection (and keeps reopening it) unless the cache is sized to zero. */
  public void start() {
    if (maxEntries > 0) {
      stopped = false;
      connect();
    }
  }

  public void stop() {
    stopped = true;
    live = false;
    clear();
    RedisConnection c = connection;
    connection = null;
    if (c != null) {
      c.closeAndForget();
    }
  }

  /** True while invalidations arrive, the only time the cache serves. */
  public boolean live() {
    return live;
  }

  /** The Redis client id of the tracking connection, -1 before it is known. */
  public long clientId() {
    return clientId;
  }

  /** Entries held now (reads in flight included). */
  public int size() {
    return entries.size();
  }

  /** Estimated bytes of the values held now. */
  public long bytes() {
    return bytes.get();
  }

  /** The value held for an id, or null. */
  public V get(String id) {
    if (!live) {
      return null;
    }
    if (entries.get(id) instanceof Held<?> h) {
      if (System.nanoTime() - h.expiresAt() < 0) {
        @SuppressWarnings("unchecked")
        V value = (V) h.value();
        return value;
      }
      if (entries.remove(id, h)) {
        bytes.addAndGet(-h.weight());
      }
    }
    return null;
  }

  /**
   * Marks a read of the id's key as starting; pass the result to {@link #keep}. Null when the cache
   * is not live (the answer will then not be kept).
   */
  public Object reserve(String id) {
    if (!live) {
      return null;
    }
    Reservation r = new Reservation();
    dropped(entries.put(id, r));
    return r;
  }

  /** Withdraws a reservation whose read failed, so it does not outlive the read. */
  public void release(String id, Object reservation) {
    if (reservation != null) {
      entries.remove(id, reservation);
    }
  }

  /**
   * Keeps the value read for a reserved id, unless an invalidation came first; a null value only
   * withdraws the reservation.
   *
   * @return the value kept, or null when nothing was kept
   */
  public V keep(String id, Object reservation, V value) {
    if (reservation == null) {
      return null;
    }
    if (value == null) {
      entries.remove(id, reservation);
      return null;
    }
    long weight = weight(id, value);
    if (weight > maxBytes / 10
        || !entries.replace(
            id, reservation, new Held<>(value, System.nanoTime() + maxAgeNanos, weight))) {
      entries.remove(id, reservation);
      return null;
    }
    if (bytes.addAndGet(weight) > maxBytes || entries.size() > maxEntries) {
      trim();
    }
    return value;
  }

  /** Drops the local copies of these ids (after this process wrote their keys). */
  public void forget(Collection<String> ids) {
    for (String id : ids) {
      dropped(entries.remove(id));
    }
  }

  /**
   * Sheds about a tenth of the entries (or of the bytes), in hash order: an arbitrary, cheap choice
   * of victims.
   */
  private void trim() {
    int target = maxEntries - Math.max(1, maxEntries / 10);
    long targetBytes = maxBytes - maxBytes / 10;
    Iterator<Map.Entry<String, Object>> it = entries.entrySet().iterator();
    while ((entries.size() > target || bytes.get() > targetBytes) && it.hasNext()) {
      Map.Entry<String, Object> e = it.next();
      // only a removal of the value seen counts: a racing write or invalidation accounts for itself
      if (entries.remove(e.getKey(), e.getValue())) {
        dropped(e.getValue());
      }
    }
  }

  private void dropped(Object removed) {
    if (removed instanceof Held<?> h) {
      bytes.addAndGet(-h.weight());
    }
  }

  /** Empties the cache entry by entry, so a value kept meanwhile stays counted. */
  private void clear() {
    for (Map.Entry<String, Object> e : entries.entrySet()) {
      if (entries.remove(e.getKey(), e.getValue())) {
        dropped(e.getValue());
      }
    }
  }

  private void connect() {
    if (stopped) {
      return;
    }
    redis
        .connect()
        .subscribe()
        .with(
            this::track,
            e -> {
              LOG.debugf("%s near cache: Redis unreachable (%s), retrying", name, e.toString());
              reconnectLater();
            });
  }

  private void track(RedisConnection c) {
    if (stopped) {
      c.closeAndForget();
      return;
    }
    connection = c;
    c.handler(this::onMessage);
    c.exceptionHandler(e -> lost(c, e));
    c.endHandler(() -> lost(c, null));
    c.send(Request.cmd(Command.CLIENT).arg("ID"))
        .chain(
            id -> {
              clientId = id.toLong();
              return c.send(
                  Request.cmd(Command.CLIENT)
                      .arg("TRACKING")
                      .arg("on")
                      .arg("REDIRECT")
                      .arg(clientId)
                      .arg("BCAST")
                      .arg("PREFIX")
                      .arg(prefix));
            })
        .chain(ok -> c.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL)))
        .subscribe()
        .with(ok -> subscribed(c), e -> lost(c, e));
  }

  private void subscribed(RedisConnection c) {
    if (connection == c && !live) {
      clear();
      live = true;
      LOG.debugf("%s near cache live (Redis client %d)", name, clientId);
    }
  }

  /**
   * Invalidations arrive as RESP3 pushes {@code [invalidate, keys]} or, on a RESP2 connection, as
   * messages {@code [message, __redis__:invalidate, keys]}; null keys mean a flush.
   */
  private void onMessage(Response message) {
    if (message == null || message.size() < 2) {
      return;
    }
    String kind = message.get(0).toString();
    Response keys;
    if ("invalidate".equals(kind)) {
      keys = message.get(1);
    } else if ("message".equals(kind)
        && message.size() >= 3
        && CHANNEL.equals(message.get(1).toString())) {
      keys = message.get(2);
    } else {
      if ("subscribe".equals(kind)) {
        RedisConnection c = connection;
        if (c != null) {
          subscribed(c);
        }
      }
      return;
    }
    if (keys == null) {
      clear(); // FLUSHDB / FLUSHALL
      return;
    }
    int length = prefix.length();
    for (Response key : keys) {
      String k = key.toString();
      if (k.length() > length && k.startsWith(prefix)) {
        dropped(entries.remove(k.substring(length)));
      }
    }
  }

  private void lost(RedisConnection c, Throwable cause) {
    if (connection != c) {
      return;
    }
    connection = null;
    live = false;
    clear();
    c.closeAndForget();
    if (!stopped) {
      LOG.debugf("%s near cache: tracking connection lost (%s), reconnecting", name, cause);
      reconnectLater();
    }
  }

  private void reconnectLater() {
    if (!stopped) {
      vertx.setTimer(RECONNECT_MS, t -> connect());
    }
  }
}
