package io.nextbest.content.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.Retries;
import io.nextbest.content.repository.ContentRepository;
import io.nextbest.events.Decision;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Keeps the latest decision per customer and placement; decisions without a placement skip. */
@ApplicationScoped
public class DecisionConsumer {
  private final ContentRepository repository;
  private final JsonCodec json;

  public DecisionConsumer(ContentRepository repository, JsonCodec json) {
    this.repository = repository;
    this.json = json;
  }

  @Incoming("decisions")
  public Uni<Void> onDecision(String payload) {
    Decision decision = json.read(payload, Decision.class);
    if (decision.placement() == null) {
      return Uni.createFrom().voidItem();
    }
    return Retries.whileOutage(repository.recordDecision(decision)).replaceWithVoid();
  }
}
