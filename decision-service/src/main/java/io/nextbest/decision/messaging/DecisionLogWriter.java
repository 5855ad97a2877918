package io.nextbest.decision.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.Retries;
import io.nextbest.decision.repository.DecisionLogRepository;
import io.nextbest.events.Decision;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Derives the decision log from the decisions topic; replays are ignored by decision id. */
@ApplicationScoped
public class DecisionLogWriter {
  private final DecisionLogRepository log;
  private final JsonCodec json;

  public DecisionLogWriter(DecisionLogRepository log, JsonCodec json) {
    this.log = log;
    this.json = json;
  }

  @Incoming("decision-log")
  public Uni<Void> onDecision(String payload) {
    Decision decision = json.read(payload, Decision.class);
    return Retries.whileOutage(log.logIfNew(decision)).replaceWithVoid();
  }
}
