package io.nextbest.decision.messaging;

import io.nextbest.common.messaging.BatchSender;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.RecordBatches;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.decision.service.ContactPressure;
import io.nextbest.decision.service.DecisionCounts;
import io.nextbest.decision.service.DecisionMaker;
import io.nextbest.events.Decision;
import io.nextbest.events.Moment;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.events.Topics;
import io.nextbest.models.policy.Decider;
import io.nextbest.models.policy.FeatureEncoder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Decides every moment and publishes the decision. Moments are consumed in batches: one Redis round
 * trip fetches the batch's profiles, and the batch is acknowledged only after the broker
 * acknowledged every decision, sent in one pass on the {@code decisions} channel's producer (wired
 * by {@link io.nextbest.decision.service.RealtimeDecisions}). The decision record on Kafka is the
 * source of truth: the decision log is derived from it by {@link DecisionLogConsumer}, so there is
 * no dual write; a redelivered moment yields the same decision id and is logged once.
 */
@ApplicationScoped
public class MomentConsumer {
  private final ProfileLookup profiles;
  private final DecisionMaker maker;
  private final RecordBatches batches;
  private final JsonCodec json;
  private final BatchSender sender;
  private final ContactPressure contacts;
  private final DecisionCounts counts;

  public MomentConsumer(
      ProfileLookup profiles,
      ContactPressure contacts,
      DecisionMaker maker,
      RecordBatches batches,
      JsonCodec json,
      BatchSender sender,
      DecisionCounts counts) {
    this.counts = counts;
    this.sender = sender;
    this.batches = batches;
    this.profiles = profiles;
    this.contacts = contacts;
    this.maker = maker;
    this.json = json;
  }

  @Incoming("moments")
  public Uni<Void> onMoments(List<String> payloads) {
    // what cannot be read is kept on the dead-letter topic, the rest of the batch goes on
    return batches.readAll(Topics.ELIGIBILITY, payloads, this::read).chain(this::decideAll);
  }

  private Moment read(String payload) {
    try {
      return json.read(payload, Moment.class);
    } catch (JsonCodec.PoisonMessageException e) {
      throw new JsonCodec.PoisonMessageException("unreadable moment: " + e.getMessage(), e);
    }
  }

  private Uni<Void> decideAll(List<Moment> moments) {
    Instant now = Instant.now();
    List<String> customers = moments.stream().map(Moment::customerId).toList();
    return Uni.combine()
        .all()
        .unis(
            profiles
                .findAll(customers)
                .onFailure()
                .invoke(() -> counts.fallback(DecisionCounts.PROFILE_UNAVAILABLE, customers.size()))
                .onFailure()
                .recoverWithItem(Map.of()),
            contacts.before(customers, java.util.Collections.nCopies(customers.size(), now)))
        .asTuple()
        .chain(found -> publish(moments, found.getItem1(), found.getItem2(), now));
  }

  private Uni<Void> publish(
      List<Moment> moments,
      Map<String, ProfileSnapshot> found,
      Map<String, List<FeatureEncoder.Send>> contacts,
      Instant now) {
    List<ProducerRecord<String, String>> sends = new ArrayList<>(moments.size());
    List<Decider.Decided> decided = new ArrayList<>(moments.size());
    for (Moment m : moments) {
      Decider.Decided made =
          maker.decide(
              new Decider.Request(
                  Decider.decisionIdFor(m.id()),
                  m.id(),
                  m.customerId(),
                  m.campaigns() == null ? List.of() : m.campaigns(),
                  Map.of(),
                  m.globalControl(),
                  found.get(m.customerId()),
                  null,
                  contacts.get(m.customerId()),
                  now,
                  null,
                  m.excluded()));
      decided.add(made);
      Decision d = made.decision();
      sends.add(new ProducerRecord<>(Topics.DECISIONS, d.customerId(), json.write(d)));
    }
    return Retries.whileOutage(sender.send("decisions", sends))
        .invoke(() -> decided.forEach(counts::published));
  }
}
