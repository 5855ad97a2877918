package io.nextbest.eligibility.service;

import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.common.redis.RedisNearCache;
import io.nextbest.eligibility.config.ContactNearCacheConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Customers' recent sends as last read from their trusted Redis sets ({@code nextbest:contacts:}),
 * held in this process and dropped by Redis client tracking as soon as any process records a send,
 * rebuilds, erases or loses a set (see {@link RedisNearCache}). Only sets that carry the marker are
 * held, so a cap is never judged on a set Redis would not be trusted with either. Lists are
 * immutable.
 */
@Singleton
public class ContactNearCache extends RedisNearCache<List<EligibilityEngine.Contact>> {

  @Inject
  public ContactNearCache(Redis redis, Vertx vertx, ContactNearCacheConfig config) {
    super(
        "contacts",
        ContactHistory.PREFIX,
        redis,
        vertx,
        config.maxEntries(),
        config.maxBytes().asLongValue(),
        config.maxAge());
  }

  /** A list of records of a campaign id, a channel and an instant each. */
  @Override
  protected long weight(String id, List<EligibilityEngine.Contact> contacts) {
    return 128 + id.length() + 96L * contacts.size();
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }
}
