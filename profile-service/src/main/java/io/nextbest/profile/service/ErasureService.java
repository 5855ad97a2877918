package io.nextbest.profile.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.EraseRequest;
import io.nextbest.events.Topics;
import io.nextbest.profile.repository.CustomerRepository;
import io.nextbest.profile.repository.ErasedCustomerRepository;
import io.nextbest.profile.repository.EventRepository;
import io.nextbest.profile.repository.IdentityRepository;
import io.nextbest.profile.repository.OutboxRepository;
import io.nextbest.profile.repository.SegmentMemberRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Erasure of a person (GDPR): everything this service holds about the id and its merged aliases
 * removed in one transaction, the erase remembered for a hold, a tombstone and an erase request for
 * every other service queued in the outbox.
 */
@ApplicationScoped
public class ErasureService {
  private final CustomerRepository customers;
  private final EventRepository events;
  private final IdentityRepository identities;
  private final SegmentMemberRepository members;
  private final OutboxRepository outbox;
  private final ErasedCustomerRepository erased;
  private final ProfileCache cache;
  private final AfterCommit afterCommit;
  private final JsonCodec json;

  public ErasureService(
      CustomerRepository customers,
      EventRepository events,
      IdentityRepository identities,
      SegmentMemberRepository members,
      OutboxRepository outbox,
      ErasedCustomerRepository erased,
      ProfileCache cache,
      AfterCommit afterCommit,
      JsonCodec json) {
    this.customers = customers;
    this.events = events;
    this.identities = identities;
    this.members = members;
    this.outbox = outbox;
    this.erased = erased;
    this.cache = cache;
    this.afterCommit = afterCommit;
    this.json = json;
  }

  /**
   * Erases everything held about the person: customer row, events, aliases; queues a tombstone for
   * the compacted profiles topic and an erase request for every other service. True when anything
   * was held. Once it committed, the outbox relay wakes.
   */
  public Uni<Boolean> erase(String customerId) {
    return Panache.withTransaction(() -> eraseHeld(customerId)).invoke(afterCommit::queued);
  }

  private Uni<Boolean> eraseHeld(String customerId) {
    return erased
        .lockForErase()
        .chain(() -> identities.canonical(customerId))
        .chain(
            id ->
                identities
                    .aliasesOf(id)
                    .chain(
                        aliases -> {
                          List<String> ids = new ArrayList<>();
                          ids.add(id);
                          ids.addAll(aliases);
                          return customers
                              .deleteCustomer(id)
                              .chain(n -> events.deleteFor(ids).map(m -> n + m))
                              .call(() -> identities.deleteAliasesOf(id))
                              .call(() -> members.forget(ids))
                              // messages not yet relayed must not publish the person again
                              .call(() -> outbox.deleteKeys(ids))
                              .call(() -> queueErase(ids))
                              .call(() -> rememberErased(ids))
                              .call(() -> cache.markErased(ids).onFailure().recoverWithNull())
                              .map(removed -> removed > 0 || !aliases.isEmpty());
                        }));
  }

  private Uni<Void> rememberErased(List<String> ids) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (String i : ids) {
      chain = chain.chain(() -> erased.remember(i));
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
              .chain(() -> outbox.queue(Topics.PROFILES, i, null))
              .chain(() -> outbox.queue(Topics.PRIVACY, i, json.write(request)));
    }
    return chain;
  }
}
