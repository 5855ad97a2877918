package io.nextbest.profile.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.events.EraseRequest;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.events.Topics;
import io.nextbest.profile.config.ExportConfig;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.domain.Identity;
import io.nextbest.profile.domain.OutboxMessage;
import io.nextbest.profile.features.FeatureState;
import io.nextbest.profile.repository.CustomerRepository;
import io.nextbest.profile.repository.EventRepository;
import io.nextbest.profile.repository.IdentityRepository;
import io.nextbest.profile.segments.SegmentMemberships;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Reads profiles through the Redis cache and changes them: attributes, consents, identity merges
 * and erasure. Every change is one transaction that also queues the new snapshot (or the tombstone
 * and erase request) in the outbox.
 */
@ApplicationScoped
public class ProfileService {
  private static final Logger LOG = Logger.getLogger(ProfileService.class);

  /** Channels a consent can be given for. */
  public static final Set<String> CHANNELS = Set.of("email", "sms", "push", "web");

  private final CustomerRepository customers;
  private final EventRepository events;
  private final IdentityRepository identities;
  private final ProfileCache cache;
  private final ProfileChanges changes;
  private final Snapshots snapshots;
  private final SegmentMemberships memberships;
  private final JsonCodec json;
  private final int exportPageSize;

  public ProfileService(
      CustomerRepository customers,
      EventRepository events,
      IdentityRepository identities,
      ProfileCache cache,
      ProfileChanges changes,
      Snapshots snapshots,
      SegmentMemberships memberships,
      JsonCodec json,
      ExportConfig export) {
    this.exportPageSize = export.pageSize();
    this.memberships = memberships;
    this.customers = customers;
    this.events = events;
    this.identities = identities;
    this.cache = cache;
    this.changes = changes;
    this.snapshots = snapshots;
    this.json = json;
  }

  /** The profile snapshot, from Redis when cached, else from PostgreSQL; null when unknown. */
  public Uni<ProfileSnapshot> find(String customerId) {
    return orMiss(cache.get(customerId))
        .chain(hit -> hit != null ? Uni.createFrom().item(hit) : load(customerId));
  }

  /** A cache that cannot answer counts as a miss: PostgreSQL answers instead, slower but right. */
  private static <T> Uni<T> orMiss(Uni<T> cached) {
    return cached
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.debugf("profile cache unavailable, reading PostgreSQL: %s", e.toString());
              return null;
            });
  }

  /**
   * The profile as JSON text: the cached text itself when hot, else loaded from PostgreSQL (and
   * cached); null when unknown.
   */
  public Uni<String> findJson(String customerId) {
    return orMiss(cache.getJson(customerId))
        .chain(
            hit ->
                hit != null
                    ? Uni.createFrom().item(hit)
                    : load(customerId).map(s -> s == null ? null : json.write(s)));
  }

  @WithSession
  Uni<ProfileSnapshot> load(String customerId) {
    return identities
        .canonical(customerId)
        .chain(customers::findById)
        .map(c -> c == null ? null : snapshots.of(c))
        .call(
            s ->
                s == null || !s.customerId().equals(customerId)
                    ? Uni.createFrom().voidItem()
                    : cache.put(s).onFailure().recoverWithNull());
  }

  /** Replaces a profile's attributes (creating the profile if needed) and queues its snapshot. */
  @WithTransaction
  public Uni<ProfileSnapshot> replaceAttributes(String customerId, Map<String, Object> attributes) {
    ProfileAttributes.validate(attributes);
    return locked(customerId)
        .chain(
            c -> {
              Map<String, Object> next = new HashMap<>(attributes);
              next.values().removeIf(v -> v == null);
              c.attributes = next;
              return bump(c);
            });
  }

  /**
   * Merges attributes into the profile (JSON merge patch: a null value removes the attribute) and
   * queues its snapshot.
   */
  @WithTransaction
  public Uni<ProfileSnapshot> patchAttributes(String customerId, Map<String, Object> patch) {
    ProfileAttributes.validate(patch);
    return locked(customerId)
        .chain(
            c -> {
              Map<String, Object> next =
                  new HashMap<>(c.attributes == null ? Map.of() : c.attributes);
              patch.forEach(
                  (k, v) -> {
                    if (v == null) {
                      next.remove(k);
                    } else {
                      next.put(k, v);
                    }
                  });
              c.attributes = next;
              return bump(c);
            });
  }

  /** Records a consent decision for one channel, with its source and time. */
  @WithTransaction
  public Uni<ProfileSnapshot> setConsent(
      String customerId, String channel, boolean granted, String source) {
    if (!CHANNELS.contains(channel)) {
      throw new InvalidInputException(
          "channel", "unknown channel '" + channel + "'; use email, sms, push or web");
    }
    return locked(customerId)
        .chain(
            c -> {
              Map<String, Object> consents = new LinkedHashMap<>(snapshots.consents(c));
              Map<String, Object> entry = new LinkedHashMap<>();
              entry.put("granted", granted);
              entry.put("source", source);
              entry.put("at", Instant.now().toString());
              consents.put(channel, entry);
              snapshots.storeConsents(c, consents);
              return bump(c);
            });
  }

  /**
   * Merges {@code aliasId} into {@code customerId}: the alias's events are re-keyed, its feature
   * state and counts absorbed, its row removed, and the alias resolves to the customer from now on.
   * One transaction, one merged snapshot (plus a tombstone for the alias's own snapshot). An alias
   * that is an identified customer (a name or an e-mail) is merged only when {@code
   * mayMergeIdentified} (an admin), and such a merge is logged with who asked; an id that is itself
   * an alias of another customer cannot take merges (merge into the customer it resolves to).
   */
  @WithTransaction
  public Uni<ProfileSnapshot> mergeAlias(
      String customerId, String aliasId, boolean mayMergeIdentified, String by) {
    if (customerId.equals(aliasId)) {
      throw new InvalidInputException("alias", "an id cannot be merged into itself");
    }
    return identities
        .findById(customerId)
        .chain(
            merged -> {
              if (merged != null) {
                throw new InvalidInputException(
                    "customerId",
                    "'"
                        + customerId
                        + "' is an alias of '"
                        + merged.customerId
                        + "'; merge into '"
                        + merged.customerId
                        + "' instead");
              }
              return mergeChecked(customerId, aliasId, mayMergeIdentified, by);
            });
  }

  private Uni<ProfileSnapshot> mergeChecked(
      String customerId, String aliasId, boolean mayMergeIdentified, String by) {
    // lock both rows in id order so two opposite merges cannot deadlock
    boolean aliasFirst = aliasId.compareTo(customerId) < 0;
    Uni<Customer> first =
        aliasFirst
            ? notErased(aliasId).chain(() -> customers.lock(aliasId))
            : locked(customerId).call(() -> notErased(aliasId));
    return first.chain(
        a ->
            (aliasFirst ? locked(customerId) : customers.lock(aliasId))
                .chain(
                    b -> {
                      Customer target = aliasFirst ? b : a;
                      Customer alias = aliasFirst ? a : b;
                      return identities
                          .findById(aliasId)
                          .chain(
                              existing -> {
                                if (existing != null && !existing.customerId.equals(customerId)) {
                                  throw new InvalidInputException(
                                      "alias",
                                      "'" + aliasId + "' is already merged into another customer");
                                }
                                if (existing != null && alias == null) {
                                  // merged before: a repeated merge changes nothing
                                  return Uni.createFrom().item(changes.prepare(target).snapshot());
                                }
                                if (identified(alias)) {
                                  if (!mayMergeIdentified) {
                                    throw new jakarta.ws.rs.ForbiddenException(
                                        "'"
                                            + aliasId
                                            + "' is an identified customer (name or e-mail):"
                                            + " merging two identified customers needs an admin"
                                            + " token and is audited");
                                  }
                                  LOG.infof(
                                      "audit: identified customer %s merged into %s by %s",
                                      aliasId, customerId, by);
                                }
                                return absorb(target, alias, aliasId);
                              });
                    }));
  }

  /** A customer row that names a person: a name or an e-mail. */
  static boolean identified(Customer c) {
    return c != null
        && c.attributes != null
        && (c.attributes.get("email") != null || c.attributes.get("name") != null);
  }

  private Uni<ProfileSnapshot> absorb(Customer target, Customer alias, String aliasId) {
    Identity identity = new Identity();
    identity.aliasId = aliasId;
    identity.customerId = target.customerId;
    identity.mergedAt = Instant.now();
    Uni<Void> rekey =
        identities
            .update("customerId = ?1 where customerId = ?2", target.customerId, aliasId)
            .chain(() -> identities.persist(identity))
            .chain(() -> events.rekey(aliasId, target.customerId))
            .replaceWithVoid();
    if (alias == null) {
      return rekey.chain(() -> bump(target));
    }
    FeatureState merged = snapshots.state(target);
    merged.absorb(snapshots.state(alias));
    snapshots.store(target, merged);
    target.eventCount += alias.eventCount;
    target.purchaseCount += alias.purchaseCount;
    target.monetary = target.monetary.add(alias.monetary);
    target.firstEventAt = earliest(target.firstEventAt, alias.firstEventAt);
    target.lastEventAt = latest(target.lastEventAt, alias.lastEventAt);
    Map<String, Object> attrs =
        new HashMap<>(alias.attributes == null ? Map.of() : alias.attributes);
    attrs.putAll(target.attributes == null ? Map.of() : target.attributes);
    target.attributes = attrs;
    Map<String, Object> consents = new LinkedHashMap<>(snapshots.consents(alias));
    consents.putAll(snapshots.consents(target));
    snapshots.storeConsents(target, consents);
    return rekey
        .chain(alias::delete)
        .call(() -> memberships.forget(List.of(aliasId)))
        .chain(() -> OutboxMessage.of(Topics.PROFILES, aliasId, null).persist())
        .chain(() -> bump(target))
        .call(() -> cache.evict(aliasId).onFailure().recoverWithNull());
  }

  /**
   * Erases everything held about the person: customer row, events, aliases; queues a tombstone for
   * the compacted profiles topic and an erase request for every other service. True when anything
   * was held.
   */
  @WithTransaction
  public Uni<Boolean> erase(String customerId) {
    return customers
        .lockForErase()
        .chain(() -> identities.canonical(customerId))
        .chain(
            id ->
                identities
                    .list("customerId", id)
                    .chain(
                        aliases -> {
                          List<String> ids = new java.util.ArrayList<>();
                          ids.add(id);
                          aliases.forEach(a -> ids.add(a.aliasId));
                          return customers
                              .delete("customerId", id)
                              .chain(n -> events.deleteFor(ids).map(m -> n + m))
                              .call(() -> identities.delete("customerId", id))
                              .call(() -> memberships.forget(ids))
                              // messages not yet relayed must not publish the person again
                              .call(() -> OutboxMessage.delete("messageKey in ?1", ids))
                              .call(() -> queueErase(ids))
                              .call(() -> rememberErased(ids))
                              .call(
                                  () ->
                                      Uni.join()
                                          .all(
                                              ids.stream()
                                                  .map(
                                                      i ->
                                                          cache
                                                              .evict(i)
                                                              .onFailure()
                                                              .recoverWithNull())
                                                  .toList())
                                          .andCollectFailures())
                              .map(removed -> removed > 0 || !aliases.isEmpty());
                        }));
  }

  private Uni<Void> rememberErased(List<String> ids) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (String i : ids) {
      chain = chain.chain(() -> customers.rememberErased(i));
    }
    return chain;
  }

  private Uni<Void> queueErase(List<String> ids) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (String i : ids) {
      EraseRequest request =
          new EraseRequest(
              "erase:" + i + ":" + Instant.now().toEpochMilli(),
              EraseRequest.TYPE,
              i,
              Instant.now());
      chain =
          chain
              .chain(() -> OutboxMessage.of(Topics.PROFILES, i, null).persist())
              .chain(() -> OutboxMessage.of(Topics.PRIVACY, i, json.write(request)).persist())
              .replaceWithVoid();
    }
    return chain;
  }

  /**
   * Everything held about the person but the events, or null when nothing is: the first part of
   * {@link #exportDocument}.
   */
  @WithSession
  public Uni<Map<String, Object>> exportProfile(String customerId) {
    return identities
        .canonical(customerId)
        .chain(
            id ->
                customers
                    .findById(id)
                    .chain(
                        c -> {
                          if (c == null) {
                            return Uni.createFrom().nullItem();
                          }
                          ProfileSnapshot s = snapshots.of(c);
                          return identities
                              .list("customerId", id)
                              .map(
                                  aliases -> {
                                    Map<String, Object> out = new LinkedHashMap<>();
                                    out.put("customerId", id);
                                    out.put("exportedAt", Instant.now());
                                    out.put("attributes", s.attributes());
                                    out.put("consents", s.consents());
                                    out.put("features", s.features());
                                    out.put("predictions", s.predictions());
                                    out.put("segments", s.segments());
                                    out.put(
                                        "aliases", aliases.stream().map(a -> a.aliasId).toList());
                                    return out;
                                  });
                        }));
  }

  /**
   * The whole export as one JSON object, in pieces of text to be sent in order: the profile of
   * {@link #exportProfile}, then under {@code events} every event of the person, oldest first, read
   * {@code nextbest.profile.export.page-size} at a time, so the heap holds one page however long
   * the history is.
   */
  public Multi<String> exportDocument(Map<String, Object> profile) {
    String head = json.write(profile);
    String open = head.substring(0, head.length() - 1) + ",\"events\":[";
    return Multi.createFrom()
        .deferred(
            () -> {
              boolean[] first = {true};
              Multi<String> pages =
                  events
                      .pagesFor((String) profile.get("customerId"), exportPageSize)
                      .filter(page -> !page.isEmpty())
                      .map(
                          page -> {
                            String text = String.join(",", page);
                            if (first[0]) {
                              first[0] = false;
                              return text;
                            }
                            return "," + text;
                          });
              return Multi.createBy()
                  .concatenating()
                  .streams(Multi.createFrom().item(open), pages, Multi.createFrom().item("]}"));
            });
  }

  private Uni<Customer> locked(String customerId) {
    return notErased(customerId)
        .chain(() -> identities.canonical(customerId))
        .chain(customers::lockOrCreate);
  }

  /**
   * Fails with 409 while the id is held after its erase: a write then is a stale client's, not a
   * new relationship, and must not start the person's profile again.
   */
  private Uni<Void> notErased(String customerId) {
    return customers
        .erasedHold(customerId)
        .invoke(
            until -> {
              if (until != null) {
                throw new ClientErrorException(
                    "Customer '"
                        + customerId
                        + "' was erased; writes for this id are refused until "
                        + until
                        + ".",
                    Response.Status.CONFLICT);
              }
            })
        .replaceWithVoid();
  }

  private Uni<ProfileSnapshot> bump(Customer c) {
    c.version++;
    c.updatedAt = Instant.now();
    return changes.snapshotOf(c);
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  private static Instant latest(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }
}
