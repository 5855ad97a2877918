package io.nextbest.decision.messaging;

import io.nextbest.common.messaging.EventTypes;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.RecordBatches;
import io.nextbest.common.messaging.Retries;
import io.nextbest.decision.repository.OutcomeRepository;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Outcome;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Purchases from {@code nextbest.events.v1} become conversions worth their amount, with their order
 * id, so an order also posted as an outcome counts once. Other events are skipped by their type
 * ({@link EventTypes}) without being parsed. A purchase that cannot be read goes to {@code
 * nextbest.events.v1.dlq}.
 */
@ApplicationScoped
public class PurchaseConsumer {
  private static final String PURCHASE = "purchase";

  private final OutcomeRepository store;
  private final JsonCodec json;
  private final RecordBatches batches;

  public PurchaseConsumer(OutcomeRepository store, JsonCodec json, RecordBatches batches) {
    this.store = store;
    this.json = json;
    this.batches = batches;
  }

  @Incoming("purchases")
  public Uni<Void> onEvents(ConsumerRecords<String, String> records) {
    List<ConsumerRecord<String, String>> list = RecordBatches.list(records);
    return batches
        .readAll(Topics.EVENTS, list, ConsumerRecord::value, this::conversion)
        .chain(conversions -> Retries.whileOutage(store.storeAll(conversions)))
        .replaceWithVoid();
  }

  /** A purchase as a conversion worth its amount; null for any other event. */
  private Outcome conversion(ConsumerRecord<String, String> record) {
    if (!PURCHASE.equals(EventTypes.of(record))) {
      return null;
    }
    return conversion(json.read(record.value(), CustomerEvent.class));
  }

  /** The conversion a purchase earns; null for another type or a purchase without a time. */
  static Outcome conversion(CustomerEvent e) {
    if (!PURCHASE.equals(e.type()) || e.occurredAt() == null) {
      return null;
    }
    Object amount = e.properties() == null ? null : e.properties().get("amount");
    Object order = e.properties() == null ? null : e.properties().get("orderId");
    Double value =
        amount instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0
            ? n.doubleValue()
            : null;
    return new Outcome(
        "purchase:" + e.id(),
        "conversion",
        e.customerId(),
        e.occurredAt(),
        null,
        value,
        null,
        order instanceof String s && !s.isBlank() ? s : null);
  }
}
