package io.nextbest.decision.messaging;

import io.nextbest.common.messaging.DeadLetterQueue;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.Retries;
import io.nextbest.decision.repository.OutcomeRepository;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.EraseRequest;
import io.nextbest.events.Outcome;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Outcomes in: from {@code nextbest.outcomes.v1} (what frontends and content-service report), and
 * purchases from {@code nextbest.events.v1}, which become conversions worth their amount (with
 * their order id, so an order also posted as an outcome counts once); every decision whose horizon
 * holds a conversion earns it, "none" and control decisions included. Erase requests remove the
 * person's decision log and outcome history. What cannot be read, and an outcome that names no
 * decision, customer, time or known type, goes to its topic's {@code .dlq}.
 */
@ApplicationScoped
public class OutcomeConsumers {
  private static final Logger LOG = Logger.getLogger(OutcomeConsumers.class);
  private final OutcomeRepository store;
  private final JsonCodec json;
  private final DeadLetterQueue deadLetters;

  public OutcomeConsumers(OutcomeRepository store, JsonCodec json, DeadLetterQueue deadLetters) {
    this.store = store;
    this.json = json;
    this.deadLetters = deadLetters;
  }

  @Incoming("outcomes")
  public Uni<Void> onOutcomes(List<String> payloads) {
    return deadLetters
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

  @Incoming("purchases")
  public Uni<Void> onEvents(List<String> payloads) {
    return deadLetters
        .readAll(Topics.EVENTS, payloads, this::conversion)
        .chain(conversions -> Retries.whileOutage(store.storeAll(conversions)))
        .replaceWithVoid();
  }

  /** A purchase as a conversion worth its amount; null for any other event. */
  private Outcome conversion(String payload) {
    if (!payload.contains("\"purchase\"")) {
      return null; // cheap pre-filter: only purchases matter here
    }
    CustomerEvent e = json.read(payload, CustomerEvent.class);
    if (!"purchase".equals(e.type()) || e.occurredAt() == null) {
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

  @Incoming("privacy")
  public Uni<Void> onErase(String payload) {
    EraseRequest r = json.read(payload, EraseRequest.class);
    return Retries.whileOutage(store.erase(r.customerId()))
        .invoke(n -> LOG.infof("erased %d decision and outcome rows of a customer", n))
        .replaceWithVoid();
  }
}
