package io.nextbest.decision.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.Retries;
import io.nextbest.decision.repository.OutcomeRepository;
import io.nextbest.events.EraseRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Erase requests from {@code nextbest.privacy.v1}: the person's decision log and outcome history
 * leave decision-service. An unreadable request goes to {@code nextbest.privacy.v1.dlq} (the
 * channel's failure strategy).
 */
@ApplicationScoped
public class PrivacyConsumer {
  private static final Logger LOG = Logger.getLogger(PrivacyConsumer.class);
  private final OutcomeRepository store;
  private final JsonCodec json;

  public PrivacyConsumer(OutcomeRepository store, JsonCodec json) {
    this.store = store;
    this.json = json;
  }

  @Incoming("privacy")
  public Uni<Void> onErase(String payload) {
    EraseRequest r = json.read(payload, EraseRequest.class);
    return Retries.whileOutage(store.erase(r.customerId()))
        .invoke(n -> LOG.infof("erased %d decision and outcome rows of a customer", n))
        .replaceWithVoid();
  }
}
