package io.nextbest.decision.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.decision.service.DecisionMaker;
import io.nextbest.events.Decision;
import io.nextbest.events.Moment;
import io.nextbest.events.ProfileSnapshot;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Decides every moment and publishes the decision. Moments are consumed in batches: one Redis round
 * trip fetches the batch's profiles, and the batch is acknowledged only after the broker
 * acknowledged every decision. The decision record on Kafka is the source of truth: the decision
 * log is derived from it by {@link DecisionLogWriter}, so there is no dual write; a redelivered
 * moment yields the same decision id and is logged once.
 */
@ApplicationScoped
public class MomentConsumer {
  private final ProfileLookup profiles;
  private final DecisionMaker maker;
  private final MutinyEmitter<String> decisions;
  private final MutinyEmitter<String> deadLetters;
  private final JsonCodec json;

  public MomentConsumer(
      ProfileLookup profiles,
      DecisionMaker maker,
      @Channel("decisions") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
          MutinyEmitter<String> decisions,
      @Channel("moments-dlq") MutinyEmitter<String> deadLetters,
      JsonCodec json) {
    this.deadLetters = deadLetters;
    this.profiles = profiles;
    this.maker = maker;
    this.decisions = decisions;
    this.json = json;
  }

  @Incoming("moments")
  public Uni<Void> onMoments(List<String> payloads) {
    List<Moment> moments = new ArrayList<>(payloads.size());
    List<Uni<Void>> rejected = new ArrayList<>();
    for (String p : payloads) {
      try {
        moments.add(json.read(p, Moment.class));
      } catch (JsonCodec.PoisonMessageException e) {
        // kept on the dead-letter topic, the rest of the batch goes on
        rejected.add(Retries.whileOutage(deadLetters.send(p)));
      }
    }
    Uni<Void> parked =
        rejected.isEmpty()
            ? Uni.createFrom().voidItem()
            : Uni.join().all(rejected).andFailFast().replaceWithVoid();
    return parked.chain(
        () ->
            profiles
                .findAll(moments.stream().map(Moment::customerId).toList())
                .onFailure()
                .recoverWithItem(Map.of())
                .chain(found -> publish(moments, found)));
  }

  private Uni<Void> publish(List<Moment> moments, Map<String, ProfileSnapshot> found) {
    Instant now = Instant.now();
    List<Uni<Void>> sends = new ArrayList<>(moments.size());
    for (Moment m : moments) {
      Decision d =
          maker
              .decide(
                  DecisionMaker.decisionIdFor(m.id()),
                  m.id(),
                  m.customerId(),
                  m.campaigns() == null ? List.of() : m.campaigns(),
                  m.globalControl(),
                  found.get(m.customerId()),
                  null,
                  now)
              .decision();
      sends.add(
          Retries.whileOutage(
              decisions.sendMessage(KeyedMessages.keyed(d.customerId(), json.write(d)))));
    }
    return sends.isEmpty()
        ? Uni.createFrom().voidItem()
        : Uni.join().all(sends).andFailFast().replaceWithVoid();
  }
}
