package io.nextbest.common.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.messaging.JsonCodec;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The near cache against a real Redis: what it keeps, and what makes it let go. */
class ProfileNearCacheTest {
  private static final String URL =
      "redis://"
          + System.getenv().getOrDefault("NEXTBEST_REDIS_HOST", "127.0.0.1")
          + ":"
          + System.getenv().getOrDefault("NEXTBEST_REDIS_PORT", "6379");

  private Vertx vertx;
  private Redis redis;
  private ProfileNearCache cache;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, URL);
    cache = new ProfileNearCache(redis, vertx, 50, mib(1), Duration.ofMillis(300));
    cache.start();
    await(cache::live, "the tracking connection subscribes");
  }

  private static MemorySize mib(long n) {
    return new MemorySize(BigInteger.valueOf(n << 20));
  }

  @AfterEach
  void stop() {
    cache.stop();
    redis.close();
    vertx.closeAndAwait();
  }

  private String id(String name) {
    return "near-" + run + "-" + name;
  }

  private Response send(Request request) {
    return redis.send(request).await().atMost(Duration.ofSeconds(5));
  }

  private void set(String customerId, String json, String... options) {
    Request r = Request.cmd(Command.SET).arg(ProfileLookup.PREFIX + customerId).arg(json);
    for (String o : options) {
      r.arg(o);
    }
    send(r);
  }

  /** A read through the cache: the kept entry's text, or the text Redis answered. */
  private String read(String customerId) {
    ProfileNearCache.Entry hot = cache.get(customerId);
    if (hot != null) {
      return hot.json();
    }
    Object reservation = cache.reserve(customerId);
    Response v = send(Request.cmd(Command.GET).arg(ProfileLookup.PREFIX + customerId));
    String json = v == null ? null : v.toString();
    cache.fill(customerId, reservation, json);
    return json;
  }

  /**
   * Reads until the answer is kept: the invalidation of a write made just before may still be on
   * its way and remove the first copy, as it should.
   */
  private String readKept(String customerId) {
    await(
        () -> {
          read(customerId);
          return cache.get(customerId) != null;
        },
        customerId + " is kept");
    return cache.get(customerId).json();
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void aReadIsKeptAndServedUntilAnotherClientWritesTheKey() {
    String c = id("write");
    set(c, "{\"version\":1}");
    assertEquals("{\"version\":1}", readKept(c));

    set(c, "{\"version\":2}");
    await(() -> cache.get(c) == null, "the write invalidates the copy");
    assertEquals("{\"version\":2}", read(c));
  }

  @Test
  void expiryAndDeletionInvalidateToo() {
    String expiring = id("expiring");
    String deleted = id("deleted");
    set(expiring, "{}", "PX", "100");
    set(deleted, "{}");
    readKept(deleted);

    send(Request.cmd(Command.DEL).arg(ProfileLookup.PREFIX + deleted));
    await(() -> cache.get(deleted) == null, "the deletion invalidates the copy");
    // Redis announces an expiry only when it deletes the key, lazily or by its sampler: the copy's
    // own age bound (300 ms here) sends the read back to Redis, which then finds the key gone
    await(() -> read(expiring) == null, "the expired key reads as a miss");
    assertNull(cache.get(expiring));
  }

  @Test
  void aWriteRacingTheReadIsNeverHiddenByTheOlderAnswer() {
    String c = id("race");
    set(c, "{\"version\":1}");
    Object reservation = cache.reserve(c);
    String old =
        send(Request.cmd(Command.GET).arg(ProfileLookup.PREFIX + c)).toString(); // version 1
    set(c, "{\"version\":2}"); // lands after the read, before its answer is kept
    await(() -> cache.size() == 0 || cache.get(c) != null, "the invalidation arrives");
    assertNull(cache.fill(c, reservation, old), "the older answer is not kept");
    assertEquals("{\"version\":2}", read(c));
  }

  @Test
  void aLostTrackingConnectionEmptiesTheCacheWhichServesAgainOnlyAfterResubscribing() {
    String c = id("lost");
    set(c, "{\"version\":1}");
    readKept(c);
    long before = cache.clientId();

    send(Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(before));
    await(() -> !cache.live() || cache.clientId() != before, "the loss is noticed");
    assertNull(cache.get(c), "nothing is served from a cache that may have missed writes");
    set(c, "{\"version\":2}"); // while deaf, or just after: either way not hidden
    await(() -> cache.live() && cache.clientId() != before, "it reconnects and resubscribes");
    assertEquals("{\"version\":2}", read(c));
    assertNotNull(cache.get(c));
  }

  @Test
  void flushingADatabaseEmptiesTheCache() {
    String c = id("flush");
    set(c, "{}");
    readKept(c);
    // a flush of any database, here an otherwise unused one, is announced as "everything changed"
    RedisConnection other = redis.connect().await().atMost(Duration.ofSeconds(5));
    try {
      other
          .batch(List.of(Request.cmd(Command.SELECT).arg(15), Request.cmd(Command.FLUSHDB)))
          .await()
          .atMost(Duration.ofSeconds(5));
    } finally {
      other.closeAndForget();
    }
    await(() -> cache.size() == 0, "the flush empties the cache");
  }

  @Test
  void forgetDropsOnlyTheNamedCopies() {
    List<String> ids = List.of(id("a"), id("b"), id("c"));
    for (String c : ids) {
      set(c, "{}");
    }
    ids.forEach(this::readKept);
    cache.forget(ids.subList(0, 2));
    assertNull(cache.get(ids.get(0)));
    assertNull(cache.get(ids.get(1)));
    assertNotNull(cache.get(ids.get(2)));
  }

  @Test
  void theCacheStaysWithinItsBound() {
    for (int i = 0; i < 200; i++) {
      String c = id("bound-" + i);
      set(c, "{}");
      read(c);
      assertTrue(cache.size() <= 50, "at most 50 entries, " + cache.size() + " held");
    }
    assertNotEquals(0, cache.size());
  }

  @Test
  void theCacheStaysWithinItsByteBudget() {
    ProfileNearCache small =
        new ProfileNearCache(
            redis,
            vertx,
            1_000,
            new MemorySize(BigInteger.valueOf(64 * 1024)),
            Duration.ofSeconds(30));
    small.start();
    try {
      await(small::live, "the small cache subscribes");
      String doc = "{\"name\":\"" + "x".repeat(1_000) + "\"}";
      int kept = 0;
      for (int i = 0; i < 200; i++) {
        String c = id("bytes-" + i);
        set(c, doc);
        Object reservation = small.reserve(c);
        if (small.fill(c, reservation, doc) != null) {
          kept++;
        }
        assertTrue(small.bytes() <= 64 * 1024, "within 64 KiB, " + small.bytes() + " held");
      }
      assertEquals(200, kept, "each document is a sixteenth of the budget: all are kept a while");
      assertTrue(small.size() < 20, small.size() + " entries of about 4 KiB within 64 KiB");

      String huge = id("huge");
      Object reservation = small.reserve(huge);
      assertNull(
          small.fill(huge, reservation, "{\"name\":\"" + "x".repeat(10_000) + "\"}"),
          "a document over a tenth of the budget is not kept");
      assertNull(small.get(huge));
    } finally {
      small.stop();
    }
  }

  @Test
  void aReadThatFailedWithdrawsItsReservation() {
    String c = id("failed");
    int before = cache.size();
    Object reservation = cache.reserve(c);
    assertEquals(before + 1, cache.size());
    cache.release(c, reservation);
    assertEquals(before, cache.size(), "no reservation outlives its read");
  }

  @Test
  void anEntryParsesItsSnapshotOnceAndSharesIt() {
    String c = id("parse");
    set(
        c,
        "{\"id\":\"x:1\",\"type\":\"profile.snapshot\",\"customerId\":\""
            + c
            + "\",\"version\":1,\"attributes\":{},\"features\":{},\"predictions\":{},"
            + "\"consents\":{},\"segments\":[]}");
    readKept(c);
    ProfileNearCache.Entry e = cache.get(c);
    JsonCodec codec = new JsonCodec(new ObjectMapper().findAndRegisterModules());
    assertSame(e.snapshot(codec), e.snapshot(codec));
    assertEquals(c, e.snapshot(codec).customerId());
  }

  @Test
  void aCopyIsServedNoLongerThanItsMaximumAge() throws InterruptedException {
    String c = id("age");
    set(c, "{}");
    readKept(c);
    Thread.sleep(350);
    assertNull(cache.get(c), "older than 300 ms: read from Redis again");
  }

  @Test
  void aCacheSizedToZeroNeverTracks() {
    ProfileNearCache off = new ProfileNearCache(redis, vertx, 0, mib(1), Duration.ofSeconds(30));
    off.start();
    assertFalse(off.live());
    assertNull(off.reserve(id("off")));
    off.stop();
  }
}
