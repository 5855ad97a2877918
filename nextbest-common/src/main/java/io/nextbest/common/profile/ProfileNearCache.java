package io.nextbest.common.profile;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.ProfileSnapshot;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The hottest cached profiles, held in this process and kept right by Redis itself (server-assisted
 * client-side caching). A dedicated connection turns on {@code CLIENT TRACKING} in broadcast mode
 * for the profile key prefix, redirected to itself, and subscribes to the invalidation channel: any
 * write, expiry or eviction of a profile key, by any client, drops the local copy a fraction of a
 * millisecond later.
 *
 * <p>The cache serves nothing unless that subscription is live. When the connection is lost it
 * empties itself, reads go to Redis again, and it reconnects; it serves again only after a fresh
 * subscription, so a write made while it was deaf can never be hidden by an old copy.
 *
 * <p>Redis announces an expiry only when it deletes the key, which for a key nobody reads may be
 * long after its TTL; an entry is therefore kept at most {@code max-age} (30 s by default) before a
 * read asks Redis again. A changed or erased profile is a write, announced at once.
 *
 * <p>A read that misses first reserves the key; the answer from Redis is kept only if no
 * invalidation removed the reservation meanwhile, so a write racing the read cannot leave a stale
 * copy behind. Snapshots handed out are shared between callers and must be treated as read-only.
 */
@ApplicationScoped
public class ProfileNearCache {
  private static final Logger LOG = Logger.getLogger(ProfileNearCache.class);
  static final String CHANNEL = "__redis__:invalidate";
  private static final long RECONNECT_MS = 1_000;

  /** A cached document, parsed on first demand. */
  public static final class Entry {
    private final String json;
    private final long expiresAt;
    private volatile ProfileSnapshot snapshot;

    Entry(String json, long expiresAt) {
      this.json = json;
      this.expiresAt = expiresAt;
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

  /** A read in flight; only the read that placed it may replace it with an entry. */
  private static final class Reservation {}

  private final Redis redis;
  private final Vertx vertx;
  private final int maxEntries;
  private final long maxAgeNanos;
  private final ConcurrentHashMap<String, Object> entries = new ConcurrentHashMap<>();
  private volatile boolean live;
  private volatile boolean stopped;
  private volatile RedisConnection connection;
  private volatile long clientId = -1;

  @Inject
  public ProfileNearCache(
      Redis redis,
      Vertx vertx,
      @ConfigProperty(name = "nextbest.profile.near-cache.max-entries", defaultValue = "20000")
          int maxEntries,
      @ConfigProperty(name = "nextbest.profile.near-cache.max-age", defaultValue = "30s")
          Duration maxAge) {
    this.redis = redis;
    this.vertx = vertx;
    this.maxEntries = maxEntries;
    this.maxAgeNanos = maxAge.toNanos();
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

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
    entries.clear();
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

  /** The cached entry of a customer, or null. */
  public Entry get(String customerId) {
    if (!live) {
      return null;
    }
    if (entries.get(customerId) instanceof Entry e) {
      if (System.nanoTime() - e.expiresAt < 0) {
        return e;
      }
      entries.remove(customerId, e);
    }
    return null;
  }

  /**
   * Marks a read of the customer's key as starting; pass the result to {@link #fill}. Null when the
   * cache is not live (the answer will then not be kept).
   */
  public Object reserve(String customerId) {
    if (!live) {
      return null;
    }
    Reservation r = new Reservation();
    entries.put(customerId, r);
    return r;
  }

  /**
   * Keeps the document Redis answered for a reserved read, unless an invalidation came first.
   *
   * @return the kept entry, or null when nothing was kept
   */
  public Entry fill(String customerId, Object reservation, String json) {
    if (reservation == null) {
      return null;
    }
    if (json == null) {
      entries.remove(customerId, reservation);
      return null;
    }
    Entry e = new Entry(json, System.nanoTime() + maxAgeNanos);
    if (!entries.replace(customerId, reservation, e)) {
      return null;
    }
    if (entries.size() > maxEntries) {
      trim();
    }
    return e;
  }

  /** Drops the local copies of these customers (after this process wrote their keys). */
  public void forget(Collection<String> customerIds) {
    for (String id : customerIds) {
      entries.remove(id);
    }
  }

  /** Sheds about a tenth of the entries, in hash order: an arbitrary, cheap choice of victims. */
  private void trim() {
    int target = maxEntries - Math.max(1, maxEntries / 10);
    Iterator<Object> it = entries.values().iterator();
    while (entries.size() > target && it.hasNext()) {
      it.next();
      it.remove();
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
              LOG.debugf("profile near cache: Redis unreachable (%s), retrying", e.toString());
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
                      .arg(ProfileLookup.PREFIX));
            })
        .chain(ok -> c.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL)))
        .subscribe()
        .with(ok -> subscribed(c), e -> lost(c, e));
  }

  private void subscribed(RedisConnection c) {
    if (connection == c && !live) {
      entries.clear();
      live = true;
      LOG.debugf("profile near cache live (Redis client %d)", clientId);
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
      entries.clear(); // FLUSHDB / FLUSHALL
      return;
    }
    int prefix = ProfileLookup.PREFIX.length();
    for (Response key : keys) {
      String k = key.toString();
      if (k.length() > prefix) {
        entries.remove(k.substring(prefix));
      }
    }
  }

  private void lost(RedisConnection c, Throwable cause) {
    if (connection != c) {
      return;
    }
    connection = null;
    live = false;
    entries.clear();
    c.closeAndForget();
    if (!stopped) {
      LOG.debugf("profile near cache: tracking connection lost (%s), reconnecting", cause);
      reconnectLater();
    }
  }

  private void reconnectLater() {
    if (!stopped) {
      vertx.setTimer(RECONNECT_MS, t -> connect());
    }
  }
}
