package io.nextbest.decision.outcome;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.Retries;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.EraseRequest;
import io.nextbest.events.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Outcomes in: from {@code nextbest.outcomes.v1} (what frontends and content-service report), and
 * purchases from {@code nextbest.events.v1}, which become conversions worth their amount (with
 * their order id, so an order also posted as an outcome counts once); every decision whose horizon
 * holds a conversion earns it, "none" and control decisions included. Erase requests remove the
 * person's decision log and outcome history.
 */
@ApplicationScoped
public class OutcomeConsumers {
  private static final Logger LOG = Logger.getLogger(OutcomeConsumers.class);
  private final OutcomeStore store;
  private final JsonCodec json;

  public OutcomeConsumers(OutcomeStore store, JsonCodec json) {
    this.store = store;
    this.json = json;
  }

  @Incoming("outcomes")
  public Uni<Void> onOutcomes(List<String> payloads) {
    List<Outcome> outcomes = new ArrayList<>(payloads.size());
    for (String p : payloads) {
      try {
        Outcome o = json.read(p, Outcome.class);
        if (o.id() != null
            && o.customerId() != null
            && o.decisionId() != null
            && o.occurredAt() != null
            && OutcomeStore.TYPES.contains(o.type())) {
          outcomes.add(o);
        } else {
          LOG.warnf("outcome without id, customer, decision, time or known type skipped: %s", p);
        }
      } catch (JsonCodec.PoisonMessageException e) {
        LOG.warnf("unreadable outcome skipped: %s", e.getMessage());
      }
    }
    return Retries.whileOutage(store.storeAll(outcomes)).replaceWithVoid();
  }

  @Incoming("purchases")
  public Uni<Void> onEvents(List<String> payloads) {
    List<Outcome> conversions = new ArrayList<>();
    for (String p : payloads) {
      if (!p.contains("\"purchase\"")) {
        continue; // cheap pre-filter: only purchases matter here
      }
      try {
        CustomerEvent e = json.read(p, CustomerEvent.class);
        if ("purchase".equals(e.type()) && e.occurredAt() != null) {
          Object amount = e.properties() == null ? null : e.properties().get("amount");
          Object order = e.properties() == null ? null : e.properties().get("orderId");
          Double value =
              amount instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0
                  ? n.doubleValue()
                  : null;
          conversions.add(
              new Outcome(
                  "purchase:" + e.id(),
                  "conversion",
                  e.customerId(),
                  e.occurredAt(),
                  null,
                  value,
                  null,
                  order instanceof String s && !s.isBlank() ? s : null));
        }
      } catch (JsonCodec.PoisonMessageException ex) {
        LOG.warnf("unreadable event skipped: %s", ex.getMessage());
      }
    }
    return Retries.whileOutage(store.storeAll(conversions)).replaceWithVoid();
  }

  @Incoming("privacy")
  public Uni<Void> onErase(String payload) {
    EraseRequest r = json.read(payload, EraseRequest.class);
    return Retries.whileOutage(store.erase(r.customerId()))
        .invoke(n -> LOG.infof("erased %d decision and outcome rows of a customer", n))
        .replaceWithVoid();
  }
}
