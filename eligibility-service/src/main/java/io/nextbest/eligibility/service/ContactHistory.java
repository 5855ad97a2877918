package io.nextbest.eligibility.service;

import io.nextbest.common.eligibility.ContactSets;
import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.eligibility.repository.ContactRepository;
import io.nextbest.eligibility.repository.ErasedCustomerRepository;
import io.nextbest.events.Decision;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Sends per customer, for frequency caps and journey links. PostgreSQL ({@code contact_history}) is
 * the source of truth; Redis keeps each customer's recent sends in a sorted set ({@code
 * nextbest:contacts:<id>}, scored by time) with a marker member written only when the set is
 * rebuilt from PostgreSQL. A set without the marker (flushed, expired, evicted) is rebuilt before
 * it is trusted, so losing Redis never resets a cap; Redis down, PostgreSQL answers. Trusted sets
 * read from Redis are held in this process by the {@link ContactNearCache} until any write to them.
 */
@ApplicationScoped
public class ContactHistory {
  public static final String PREFIX = ContactSets.PREFIX;
  static final String MARKER = ContactSets.MARKER;

  /** Longest window any cap or journey link may look back. */
  static final Duration HORIZON = Duration.ofDays(366);

  static final Duration TTL = Duration.ofDays(30);

  /**
   * A customer without sends is cached only briefly: after an erasure, nothing keyed by the
   * person's id outlives this.
   */
  static final Duration EMPTY_TTL = Duration.ofSeconds(60);

  private static final Logger LOG = Logger.getLogger(ContactHistory.class);

  private final ContactRepository contacts;
  private final ErasedCustomerRepository erased;
  private final ReactiveRedisDataSource redis;
  private final ContactNearCache near;

  public ContactHistory(
      ContactRepository contacts,
      ErasedCustomerRepository erased,
      ReactiveRedisDataSource redis,
      ContactNearCache near) {
    this.contacts = contacts;
    this.erased = erased;
    this.redis = redis;
    this.near = near;
  }

  /** The customer's sends within {@link #HORIZON}. */
  public Uni<List<EligibilityEngine.Contact>> of(String customerId, Instant now) {
    return ofAll(List.of(customerId), now).map(all -> all.get(customerId));
  }

  /**
   * The sends of many customers within {@link #HORIZON}, every customer present in the answer: the
   * near cache first, then one Redis pipeline reads the other cached sets, and the sets that cannot
   * be trusted are rebuilt from one PostgreSQL query and written back in a second pipeline.
   */
  public Uni<Map<String, List<EligibilityEngine.Contact>>> ofAll(
      Collection<String> customerIds, Instant now) {
    Map<String, List<EligibilityEngine.Contact>> out = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (String id : new LinkedHashSet<>(customerIds)) {
      List<EligibilityEngine.Contact> hot = near.get(id);
      if (hot != null) {
        out.put(id, hot);
      } else {
        ids.add(id);
      }
    }
    if (ids.isEmpty()) {
      return Uni.createFrom().item(out);
    }
    Object[] reservations = new Object[ids.size()];
    String since = Long.toString(now.minus(HORIZON).toEpochMilli());
    List<Request> reads = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      reservations[i] = near.reserve(ids.get(i));
      reads.add(
          Request.cmd(Command.ZRANGE)
              .arg(PREFIX + ids.get(i))
              .arg(since)
              .arg("+inf")
              .arg("BYSCORE")
              .arg("WITHSCORES"));
    }
    return redis
        .getRedis()
        .batch(reads)
        .chain(
            responses -> {
              List<String> untrusted = new ArrayList<>();
              for (int i = 0; i < ids.size(); i++) {
                List<EligibilityEngine.Contact> cached = parse(responses.get(i));
                near.keep(ids.get(i), reservations[i], cached);
                if (cached == null) {
                  untrusted.add(ids.get(i));
                } else {
                  out.put(ids.get(i), cached);
                }
              }
              if (untrusted.isEmpty()) {
                return Uni.createFrom().item(out);
              }
              return fromPostgres(untrusted, now)
                  .call(this::cacheUnlessErased)
                  .map(
                      rebuilt -> {
                        out.putAll(rebuilt);
                        return out;
                      });
            })
        .onCancellation()
        .invoke(
            () -> {
              for (int i = 0; i < ids.size(); i++) {
                near.release(ids.get(i), reservations[i]);
              }
            })
        .onFailure()
        .recoverWithUni(
            e -> {
              for (int i = 0; i < ids.size(); i++) {
                near.release(ids.get(i), reservations[i]);
              }
              LOG.debugf("contact cache unavailable, reading PostgreSQL: %s", e.toString());
              for (int i = 0; i < ids.size(); i++) {
                near.keep(ids.get(i), reservations[i], null);
              }
              return fromPostgres(ids, now)
                  .map(
                      read -> {
                        out.putAll(read);
                        return out;
                      });
            });
  }

  /**
   * Records a send: PostgreSQL first (idempotent per decision id; not for a customer erased since),
   * then the cached set.
   */
  public Uni<Void> record(Decision d) {
    return recordAll(List.of(d));
  }

  /**
   * Records many sends with one PostgreSQL statement (idempotent per decision id; nothing for a
   * customer erased since), then adds every send PostgreSQL holds to the cached sets in one
   * pipeline: those it inserted and those an earlier attempt did, so a retry after Redis failed
   * half-way still caches them (adding a member twice changes nothing).
   */
  public Uni<Void> recordAll(List<Decision> sends) {
    Map<String, Decision> byId = new LinkedHashMap<>();
    sends.forEach(d -> byId.putIfAbsent(d.id(), d));
    if (byId.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Decision> unique = List.copyOf(byId.values());
    return contacts
        .storeAll(unique)
        .chain(
            stored -> {
              List<Request> adds = new ArrayList<>();
              for (String id : stored) {
                Decision d = byId.get(id);
                adds.add(
                    Request.cmd(Command.ZADD)
                        .arg(PREFIX + d.customerId())
                        .arg(Long.toString(d.occurredAt().toEpochMilli()))
                        .arg(member(d.id(), d.campaignId(), d.channel())));
                // a set that had expired is created anew by ZADD, untrusted (no marker) and
                // without an expiry: give it one, leaving any existing expiry as it is
                adds.add(
                    Request.cmd(Command.EXPIRE)
                        .arg(PREFIX + d.customerId())
                        .arg(Long.toString(TTL.toSeconds()))
                        .arg("NX"));
              }
              return adds.isEmpty()
                  ? Uni.createFrom().voidItem()
                  : redis
                      .getRedis()
                      .batch(adds)
                      .invoke(
                          () ->
                              near.forget(
                                  byId.values().stream().map(Decision::customerId).toList()))
                      .replaceWithVoid();
            });
  }

  /**
   * Forgets everything about the customer (erasure), and remembers the erase by the id's hash so
   * sends still in flight are not recorded afterwards.
   */
  public Uni<Void> forget(String customerId) {
    return erased
        .remember(customerId)
        .chain(() -> contacts.deleteForCustomer(customerId))
        .chain(() -> redis.execute("DEL", PREFIX + customerId))
        .invoke(() -> near.forget(List.of(customerId)))
        .replaceWithVoid();
  }

  /**
   * Writes rebuilt sets back, except the empty sets of customers erased within the hold: an erasure
   * leaves nothing keyed by the person's id, and a lookup after it must not create it anew.
   */
  private Uni<Void> cacheUnlessErased(Map<String, List<EligibilityEngine.Contact>> rebuilt) {
    List<String> empty =
        rebuilt.entrySet().stream()
            .filter(e -> e.getValue().isEmpty())
            .map(Map.Entry::getKey)
            .toList();
    if (empty.isEmpty()) {
      return cache(rebuilt);
    }
    return erased
        .heldAmong(empty)
        .chain(
            held -> {
              if (held.isEmpty()) {
                return cache(rebuilt);
              }
              Map<String, List<EligibilityEngine.Contact>> kept = new HashMap<>(rebuilt);
              held.forEach(kept::remove);
              return cache(kept);
            });
  }

  /** Writes rebuilt sets back, each with its marker and expiry, in one pipeline. */
  private Uni<Void> cache(Map<String, List<EligibilityEngine.Contact>> rebuilt) {
    if (rebuilt.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Request> writes = new ArrayList<>(rebuilt.size() * 2);
    rebuilt.forEach(
        (customerId, contacts) -> {
          Request add = Request.cmd(Command.ZADD).arg(PREFIX + customerId).arg("+inf").arg(MARKER);
          for (var c : contacts) {
            long at = c.sentAt().toEpochMilli();
            add.arg(Long.toString(at)).arg(member("pg", c.campaignId(), c.channel()) + "|" + at);
          }
          writes.add(add);
          writes.add(
              Request.cmd(Command.EXPIRE)
                  .arg(PREFIX + customerId)
                  .arg(Long.toString((contacts.isEmpty() ? EMPTY_TTL : TTL).toSeconds())));
        });
    return redis.getRedis().batch(writes).replaceWithVoid();
  }

  /** The sends of these customers from PostgreSQL, every one of them present in the answer. */
  private Uni<Map<String, List<EligibilityEngine.Contact>>> fromPostgres(
      List<String> customerIds, Instant now) {
    return contacts
        .since(customerIds, now.minus(HORIZON))
        .map(
            sends -> {
              Map<String, List<EligibilityEngine.Contact>> out = new HashMap<>();
              customerIds.forEach(id -> out.put(id, new ArrayList<>()));
              for (ContactRepository.Send send : sends) {
                out.get(send.customerId())
                    .add(
                        new EligibilityEngine.Contact(
                            send.campaignId(), send.channel(), send.sentAt()));
              }
              return out;
            });
  }

  /**
   * The cached sends, or null when the set is not trustworthy (no marker). Scores come as a flat
   * member/score list (RESP2) or as pairs (RESP3). The same send may be present twice (once as
   * rebuilt, once as recorded); members carry the decision id or the time, and duplicates by
   * campaign, channel and time are dropped.
   */
  static List<EligibilityEngine.Contact> parse(Response r) {
    if (r == null) {
      return null;
    }
    ContactSets.Parsed parsed = ContactSets.parse(r);
    return parsed.trusted() ? parsed.sends() : null;
  }

  private static String member(String decisionId, String campaignId, String channel) {
    return decisionId + "|" + campaignId + "|" + channel;
  }
}
