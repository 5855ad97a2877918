package io.nextbest.eligibility.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.RecordBatches;
import io.nextbest.common.messaging.Retries;
import io.nextbest.eligibility.service.ContactHistory;
import io.nextbest.events.Decision;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Decisions from {@code nextbest.decisions.v1} that sent something are recorded as contacts for the
 * frequency caps, a polled batch with one statement (idempotent per decision id).
 */
@ApplicationScoped
public class DecisionConsumer {
  private final ContactHistory contacts;
  private final RecordBatches batches;
  private final JsonCodec json;

  public DecisionConsumer(ContactHistory contacts, RecordBatches batches, JsonCodec json) {
    this.contacts = contacts;
    this.batches = batches;
    this.json = json;
  }

  @Incoming("sends")
  public Uni<Void> onDecisions(ConsumerRecords<String, String> records) {
    List<ConsumerRecord<String, String>> list = RecordBatches.list(records);
    return batches.wholeOrEach(
        Topics.DECISIONS,
        list,
        () -> {
          List<Decision> sends = new ArrayList<>(list.size());
          for (var r : list) {
            Decision d = json.read(r.value(), Decision.class);
            if (isSend(d)) {
              sends.add(d);
            }
          }
          return Retries.whileOutage(contacts.recordAll(sends));
        },
        RecordBatches.OneByOne.records(r -> onDecision(r.value())));
  }

  Uni<Void> onDecision(String payload) {
    Decision d = json.read(payload, Decision.class);
    return isSend(d) ? Retries.whileOutage(contacts.record(d)) : Uni.createFrom().voidItem();
  }

  /** A decision that sent something: counted by the frequency caps. */
  private static boolean isSend(Decision d) {
    return d.campaignId() != null && !d.control() && d.channel() != null;
  }
}
