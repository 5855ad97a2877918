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
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Decisions from {@code nextbest.decisions.v1} that delivered something are recorded as contacts
 * for the frequency caps, a polled batch with one statement (idempotent per decision id). Only a
 * delivery counts against a cap ({@link #isDelivery}).
 */
@ApplicationScoped
public class DecisionConsumer {
  /**
   * Channels shown on the customer's own visit (a page, an app screen): nothing reaches the
   * customer until they come and content is rendered for them.
   */
  static final Set<String> ON_SITE = Set.of("web", "in-app");

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
            if (isDelivery(d)) {
              sends.add(d);
            }
          }
          return Retries.whileOutage(contacts.recordAll(sends));
        },
        RecordBatches.OneByOne.records(r -> onDecision(r.value())));
  }

  Uni<Void> onDecision(String payload) {
    Decision d = json.read(payload, Decision.class);
    return isDelivery(d) ? Retries.whileOutage(contacts.record(d)) : Uni.createFrom().voidItem();
  }

  /**
   * A decision that delivered a campaign on its channel, counted by the caps: a campaign, not held
   * out, with a channel. On e-mail, sms and push the decision is the send. On web and in-app it is
   * a delivery only when it was asked for a visit, as content-service asks for a page view it then
   * renders (a real-time decision, no moment id); a decision on a moment (a profile change, an
   * event, a sweep) for those channels showed nobody anything, so it spends no cap.
   */
  static boolean isDelivery(Decision d) {
    if (d.campaignId() == null || d.control() || d.channel() == null) {
      return false;
    }
    return d.momentId() == null || !ON_SITE.contains(d.channel());
  }
}
