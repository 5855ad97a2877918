package io.nextbest.decision.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.RecordBatches;
import io.nextbest.common.messaging.Retries;
import io.nextbest.decision.repository.OutcomeRepository;
import io.nextbest.events.Outcome;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Outcomes from {@code nextbest.outcomes.v1} (what frontends and content-service report), stored a
 * polled batch at a time; every decision whose horizon holds a conversion earns it, "none" and
 * control decisions included. What cannot be read, and an outcome that names no decision, customer,
 * time or known type, goes to {@code nextbest.outcomes.v1.dlq}.
 */
@ApplicationScoped
public class OutcomeConsumer {
  private final OutcomeRepository store;
  private final JsonCodec json;
  private final RecordBatches batches;

  public OutcomeConsumer(OutcomeRepository store, JsonCodec json, RecordBatches batches) {
    this.store = store;
    this.json = json;
    this.batches = batches;
  }

  @Incoming("outcomes")
  public Uni<Void> onOutcomes(List<String> payloads) {
    return batches
        .readAll(Topics.OUTCOMES, payloads, this::outcome)
        .chain(outcomes -> Retries.whileOutage(store.storeAll(outcomes)))
        .replaceWithVoid();
  }

  /** An outcome to store; one without id, customer, decision, time or known type is refused. */
  private Outcome outcome(String payload) {
    Outcome o = json.read(payload, Outcome.class);
    if (o.id() == null
        || o.customerId() == null
        || o.decisionId() == null
        || o.occurredAt() == null
        || !OutcomeRepository.TYPES.contains(o.type())) {
      throw new JsonCodec.PoisonMessageException(
          "an outcome needs id, customerId, decisionId, occurredAt and a type of "
              + OutcomeRepository.TYPES,
          null);
    }
    return o;
  }
}
