package io.nextbest.profile.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.events.Topics;
import io.nextbest.profile.domain.OutboxMessage;
import io.nextbest.profile.features.EventFacts;
import io.nextbest.profile.features.FeatureCalculator;
import io.nextbest.profile.features.FeatureState;
import io.nextbest.profile.repository.CustomerRepository;
import io.nextbest.profile.repository.EventRepository;
import io.nextbest.profile.repository.IdentityRepository;
import io.nextbest.profile.rest.IncomingEvent;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ingests a batch: valid events are stored (replays ignored), each changed customer's aggregates,
 * features and predictions updated, and the events plus one snapshot per changed customer written
 * to the outbox, all in one transaction. Events for a merged alias land on the merged customer.
 */
@ApplicationScoped
public class EventIngestService {
  private final EventRepository events;
  private final CustomerRepository customers;
  private final IdentityRepository identities;
  private final Snapshots snapshots;
  private final ProfileChanges changes;
  private final JsonCodec json;

  public EventIngestService(
      EventRepository events,
      CustomerRepository customers,
      IdentityRepository identities,
      Snapshots snapshots,
      ProfileChanges changes,
      JsonCodec json) {
    this.events = events;
    this.customers = customers;
    this.identities = identities;
    this.snapshots = snapshots;
    this.changes = changes;
    this.json = json;
  }

  @WithTransaction
  public Uni<IngestResult> ingest(List<IncomingEvent> batch) {
    Instant now = Instant.now();
    List<IngestResult.Rejection> rejected = new ArrayList<>();
    List<IncomingEvent> valid = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      IncomingEvent e = batch.get(i);
      var problem = EventValidator.check(i, e, now);
      if (problem.isPresent()) {
        rejected.add(problem.get());
      } else {
        valid.add(e);
      }
    }
    var ids = new LinkedHashSet<String>();
    valid.forEach(e -> ids.add(e.customerId()));
    return identities
        .resolve(ids)
        .chain(
            canonical -> {
              List<CustomerEvent> resolved =
                  valid.stream()
                      .map(
                          e ->
                              new CustomerEvent(
                                  e.eventId(),
                                  e.type(),
                                  canonical.getOrDefault(e.customerId(), e.customerId()),
                                  e.occurredAt() == null ? now : e.occurredAt(),
                                  e.properties() == null ? Map.of() : e.properties()))
                      .toList();
              // Sorted by customer id, so concurrent batches lock customer rows in the same order.
              Map<String, List<CustomerEvent>> changed = new TreeMap<>();
              return Multi.createFrom()
                  .iterable(resolved)
                  .onItem()
                  .transformToUniAndConcatenate(e -> storeIfNew(e, changed))
                  .collect()
                  .last()
                  .chain(
                      () ->
                          Multi.createFrom()
                              .iterable(changed.entrySet())
                              .onItem()
                              .transformToUniAndConcatenate(c -> apply(c.getKey(), c.getValue()))
                              .collect()
                              .asList())
                  .map(
                      snapshots -> {
                        int stored = changed.values().stream().mapToInt(List::size).sum();
                        return new IngestResult(stored, valid.size() - stored, rejected, snapshots);
                      });
            });
  }

  private Uni<Boolean> storeIfNew(CustomerEvent e, Map<String, List<CustomerEvent>> changed) {
    return events
        .insertIfNew(e.id(), e.customerId(), e.type(), e.occurredAt(), json.write(e.properties()))
        .call(
            inserted -> {
              if (!inserted) {
                return Uni.createFrom().voidItem();
              }
              changed.computeIfAbsent(e.customerId(), k -> new ArrayList<>()).add(e);
              return OutboxMessage.of(Topics.EVENTS, e.customerId(), json.write(e)).persist();
            });
  }

  /** Folds a customer's new events into the locked row and queues the new snapshot. */
  private Uni<ProfileSnapshot> apply(String customerId, List<CustomerEvent> newEvents) {
    return customers
        .lockOrCreate(customerId)
        .chain(
            c -> {
              FeatureState state = snapshots.state(c);
              var zone = FeatureCalculator.zoneOf(c.attributes);
              for (CustomerEvent e : newEvents) {
                c.eventCount++;
                if ("purchase".equals(e.type())) {
                  c.purchaseCount++;
                  c.monetary = c.monetary.add(EventFacts.decimalAmount(e.properties()));
                }
                if (c.firstEventAt == null || e.occurredAt().isBefore(c.firstEventAt)) {
                  c.firstEventAt = e.occurredAt();
                }
                if (c.lastEventAt == null || e.occurredAt().isAfter(c.lastEventAt)) {
                  c.lastEventAt = e.occurredAt();
                }
                EventFacts.apply(state, e.type(), e.occurredAt(), e.properties(), zone);
              }
              snapshots.store(c, state);
              c.version++;
              c.updatedAt = Instant.now();
              return changes.snapshotOf(c);
            });
  }
}
