package io.nextbest.decision.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.decision.service.DecisionMaker;
import io.nextbest.events.Decision;
import io.nextbest.events.Moment;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Decides every moment and publishes the decision; the moment is acknowledged only after the broker
 * acknowledged the decision. The decision record on Kafka is the source of truth: the decision log
 * is derived from it by {@link DecisionLogWriter}, so there is no dual write.
 */
@ApplicationScoped
public class MomentConsumer {
  private final ProfileLookup profiles;
  private final MutinyEmitter<String> decisions;
  private final JsonCodec json;

  public MomentConsumer(
      ProfileLookup profiles,
      @Channel("decisions") MutinyEmitter<String> decisions,
      JsonCodec json) {
    this.profiles = profiles;
    this.decisions = decisions;
    this.json = json;
  }

  @Incoming("moments")
  public Uni<Void> onMoment(String payload) {
    Moment moment = json.read(payload, Moment.class);
    return profiles
        .find(moment.customerId())
        .onFailure()
        .recoverWithNull()
        .chain(
            profile -> {
              Decision decision = DecisionMaker.decide(moment, profile, Instant.now());
              return Retries.whileOutage(
                  decisions.sendMessage(
                      KeyedMessages.keyed(decision.customerId(), json.write(decision))));
            });
  }
}
