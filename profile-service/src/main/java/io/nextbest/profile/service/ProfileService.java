package io.nextbest.profile.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.profile.config.ExportConfig;
import io.nextbest.profile.repository.CustomerRepository;
import io.nextbest.profile.repository.EventRepository;
import io.nextbest.profile.repository.IdentityRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Reads profiles through the Redis cache, exports them, and changes their attributes and consents.
 * Every change is one transaction that also queues the new snapshot in the outbox; once it
 * committed, the new version is cached and the outbox relay wakes ({@link AfterCommit}). Identity
 * merges are {@link IdentityMergeService}'s, erasure {@link ErasureService}'s.
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
  private final ProfileLocks locks;
  private final AfterCommit afterCommit;
  private final Snapshots snapshots;
  private final JsonCodec json;
  private final int exportPageSize;

  public ProfileService(
      CustomerRepository customers,
      EventRepository events,
      IdentityRepository identities,
      ProfileCache cache,
      ProfileChanges changes,
      ProfileLocks locks,
      AfterCommit afterCommit,
      Snapshots snapshots,
      JsonCodec json,
      ExportConfig export) {
    this.exportPageSize = export.pageSize();
    this.customers = customers;
    this.events = events;
    this.identities = identities;
    this.cache = cache;
    this.changes = changes;
    this.locks = locks;
    this.afterCommit = afterCommit;
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
  public Uni<ProfileSnapshot> replaceAttributes(String customerId, Map<String, Object> attributes) {
    return committed(
        () -> {
          ProfileAttributes.validate(attributes);
          return locks
              .lockOrCreate(customerId)
              .chain(
                  c -> {
                    Map<String, Object> next = new HashMap<>(attributes);
                    next.values().removeIf(v -> v == null);
                    c.attributes = next;
                    return changes.nextVersion(c);
                  });
        });
  }

  /**
   * Merges attributes into the profile (JSON merge patch: a null value removes the attribute) and
   * queues its snapshot.
   */
  public Uni<ProfileSnapshot> patchAttributes(String customerId, Map<String, Object> patch) {
    return committed(
        () -> {
          ProfileAttributes.validate(patch);
          return locks
              .lockOrCreate(customerId)
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
                    return changes.nextVersion(c);
                  });
        });
  }

  /** Records a consent decision for one channel, with its source and time. */
  public Uni<ProfileSnapshot> setConsent(
      String customerId, String channel, boolean granted, String source) {
    return committed(
        () -> {
          if (!CHANNELS.contains(channel)) {
            throw new InvalidInputException(
                "channel", "unknown channel '" + channel + "'; use email, sms, push or web");
          }
          return locks
              .lockOrCreate(customerId)
              .chain(
                  c -> {
                    Map<String, Object> consents = new LinkedHashMap<>(snapshots.consents(c));
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("granted", granted);
                    entry.put("source", source);
                    entry.put("at", Instant.now().toString());
                    consents.put(channel, entry);
                    snapshots.storeConsents(c, consents);
                    return changes.nextVersion(c);
                  });
        });
  }

  /** Runs the change in one transaction; once it committed, its snapshot is cached. */
  private Uni<ProfileSnapshot> committed(Supplier<Uni<ProfileSnapshot>> change) {
    return Panache.withTransaction(change).call(s -> afterCommit.profilesChanged(List.of(s)));
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
                              .aliasesOf(id)
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
                                    out.put("aliases", aliases);
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
}
