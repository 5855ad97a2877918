package io.nextbest.decision.messaging;

import io.nextbest.common.messaging.BatchSender;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.decision.service.DecisionMaker;
import io.nextbest.events.Decision;
import io.nextbest.events.Moment;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Decides every moment and publishes the decision. Moments are consumed in batches: one Redis round
 * trip fetches the batch's profiles, and the batch is acknowledged only after the broker
 * acknowledged every decision, sent in one pass on the {@code decisions} channel's producer (wired
 * by {@link io.nextbest.decision.service.RealtimeDecisions}). The decision record on Kafka is the
 * source of truth: the decision log is derived from it by {@link DecisionLogWriter}, so there is no
 * dual write; a redelivered moment yields the same decision id and is logged once.
 */
@ApplicationScoped
public class MomentConsumer {
  private final ProfileLookup profiles;
  private final DecisionMaker maker;
  private final MutinyEmitter<String> deadLetters;
  private final JsonCodec json;
  private final BatchSender sender;

  public MomentConsumer(
      ProfileLookup profiles,
      DecisionMaker maker,
      @Channel("moments-dlq") MutinyEmitter<String> deadLetters,
      JsonCodec json,
      BatchSender sender) {
    this.sender = sender;
    this.deadLetters = deadLetters;
    this.profiles = profiles;
    this.maker = maker;
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
    List<ProducerRecord<String, String>> sends = new ArrayList<>(moments.size());
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
      sends.add(new ProducerRecord<>(Topics.DECISIONS, d.customerId(), json.write(d)));
    }
    return Retries.whileOutage(sender.send("decisions", sends));
  }
}
