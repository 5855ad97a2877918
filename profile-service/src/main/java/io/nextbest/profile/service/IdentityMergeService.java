package io.nextbest.profile.service;

import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.events.Topics;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.features.FeatureState;
import io.nextbest.profile.repository.CustomerRepository;
import io.nextbest.profile.repository.EventRepository;
import io.nextbest.profile.repository.IdentityRepository;
import io.nextbest.profile.repository.MergeLock;
import io.nextbest.profile.repository.OutboxRepository;
import io.nextbest.profile.repository.SegmentMemberRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Identity stitching: an anonymous or secondary id merged into a customer, its history, features,
 * attributes and consents joining the customer's profile, in one transaction with one merged
 * snapshot.
 */
@ApplicationScoped
public class IdentityMergeService {
  private static final Logger LOG = Logger.getLogger(IdentityMergeService.class);

  private final CustomerRepository customers;
  private final EventRepository events;
  private final IdentityRepository identities;
  private final SegmentMemberRepository members;
  private final OutboxRepository outbox;
  private final ProfileCache cache;
  private final ProfileChanges changes;
  private final ProfileLocks locks;
  private final AfterCommit afterCommit;
  private final Snapshots snapshots;

  public IdentityMergeService(
      CustomerRepository customers,
      EventRepository events,
      IdentityRepository identities,
      SegmentMemberRepository members,
      OutboxRepository outbox,
      ProfileCache cache,
      ProfileChanges changes,
      ProfileLocks locks,
      AfterCommit afterCommit,
      Snapshots snapshots) {
    this.customers = customers;
    this.events = events;
    this.identities = identities;
    this.members = members;
    this.outbox = outbox;
    this.cache = cache;
    this.changes = changes;
    this.locks = locks;
    this.afterCommit = afterCommit;
    this.snapshots = snapshots;
  }

  /**
   * Merges {@code aliasId} into {@code customerId}: the alias's events are re-keyed, its feature
   * state and counts absorbed, its row removed, and the alias resolves to the customer from now on.
   * One transaction, one merged snapshot (plus a tombstone for the alias's own snapshot). An alias
   * that is an identified customer (a name or an e-mail) is merged only when {@code
   * mayMergeIdentified} (an admin), and such a merge is logged with who asked; an id that is itself
   * an alias of another customer cannot take merges (merge into the customer it resolves to). Once
   * it committed, the merged snapshot is cached.
   */
  public Uni<ProfileSnapshot> mergeAlias(
      String customerId, String aliasId, boolean mayMergeIdentified, String by) {
    return Panache.withTransaction(
            () -> {
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
            })
        .call(s -> afterCommit.profilesChanged(List.of(s)));
  }

  private Uni<ProfileSnapshot> mergeChecked(
      String customerId, String aliasId, boolean mayMergeIdentified, String by) {
    // lock both rows in id order so two opposite merges cannot deadlock; before any of them, the
    // MergeLock: no fold of the event log is storing events of these ids meanwhile
    boolean aliasFirst = aliasId.compareTo(customerId) < 0;
    Uni<Customer> first =
        Panache.getSession()
            .chain(s -> s.createNativeQuery(MergeLock.EXCLUSIVE, Long.class).getSingleResult())
            .chain(
                () ->
                    aliasFirst
                        ? locks.notErased(aliasId).chain(() -> customers.lock(aliasId))
                        : locks.lockOrCreate(customerId).call(() -> locks.notErased(aliasId)));
    return first.chain(
        a ->
            (aliasFirst ? locks.lockOrCreate(customerId) : customers.lock(aliasId))
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
    Uni<Void> rekey =
        identities
            .merge(aliasId, target.customerId)
            .chain(() -> events.rekey(aliasId, target.customerId))
            .replaceWithVoid();
    if (alias == null) {
      return rekey.chain(() -> changes.nextVersion(target));
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
        .chain(() -> customers.delete(alias))
        .call(() -> members.forget(List.of(aliasId)))
        .chain(() -> outbox.queue(Topics.PROFILES, aliasId, null))
        .chain(() -> changes.nextVersion(target))
        .call(() -> cache.markGone(List.of(aliasId)).onFailure().recoverWithNull());
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  private static Instant latest(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }
}
