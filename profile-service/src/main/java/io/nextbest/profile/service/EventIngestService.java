package io.nextbest.profile.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Topics;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.domain.OutboxMessage;
import io.nextbest.profile.repository.CustomerRepository;
import io.nextbest.profile.repository.EventRepository;
import io.nextbest.profile.rest.IncomingEvent;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ingests a batch: valid events are stored (replays ignored), customer aggregates updated, and the
 * events plus one snapshot per changed customer written to the outbox, all in one transaction.
 */
@ApplicationScoped
public class EventIngestService {
  private final EventRepository events;
  private final CustomerRepository customers;
  private final JsonCodec json;

  public EventIngestService(EventRepository events, CustomerRepository customers, JsonCodec json) {
    this.events = events;
    this.customers = customers;
    this.json = json;
  }

  @WithTransaction
  public Uni<IngestResult> ingest(List<IncomingEvent> batch) {
    Instant now = Instant.now();
    List<IngestResult.Rejection> rejected = new ArrayList<>();
    List<CustomerEvent> valid = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      IncomingEvent e = batch.get(i);
      var problem = EventValidator.check(i, e, now);
      if (problem.isPresent()) {
        rejected.add(problem.get());
      } else {
        valid.add(
            new CustomerEvent(
                e.eventId(),
                e.type(),
                e.customerId(),
                e.occurredAt() == null ? now : e.occurredAt(),
                e.properties() == null ? Map.of() : e.properties()));
      }
    }
    // Sorted by customer id, so concurrent batches lock customer rows in the same order.
    Map<String, Aggregate> changed = new TreeMap<>();
    return Multi.createFrom()
        .iterable(valid)
        .onItem()
        .transformToUniAndConcatenate(e -> storeIfNew(e, changed))
        .collect()
        .with(java.util.stream.Collectors.counting())
        .chain(
            accepted ->
                Multi.createFrom()
                    .iterable(changed.entrySet())
                    .onItem()
                    .transformToUniAndConcatenate(
                        c -> customers.addEvents(c.getKey(), c.getValue()))
                    .onItem()
                    .transformToUniAndConcatenate(this::publishSnapshot)
                    .collect()
                    .asList()
                    .map(
                        ignored -> {
                          int stored =
                              changed.values().stream().mapToInt(a -> (int) a.events()).sum();
                          return new IngestResult(stored, valid.size() - stored, rejected);
                        }));
  }

  private Uni<Boolean> storeIfNew(CustomerEvent e, Map<String, Aggregate> changed) {
    return events
        .insertIfNew(e.id(), e.customerId(), e.type(), e.occurredAt(), json.write(e.properties()))
        .call(
            inserted -> {
              if (!inserted) {
                return Uni.createFrom().voidItem();
              }
              changed.merge(
                  e.customerId(),
                  Aggregate.of(e.type(), amountOf(e), e.occurredAt()),
                  Aggregate::plus);
              return OutboxMessage.of(Topics.EVENTS, e.customerId(), json.write(e)).persist();
            });
  }

  private Uni<Customer> publishSnapshot(Customer c) {
    return OutboxMessage.of(Topics.PROFILES, c.customerId, json.write(Snapshots.of(c)))
        .persist()
        .replaceWith(c);
  }

  private static BigDecimal amountOf(CustomerEvent e) {
    Object amount = e.properties().get("amount");
    return amount instanceof Number n ? new BigDecimal(n.toString()) : BigDecimal.ZERO;
  }
}
