package io.nextbest.eligibility.messaging;

import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.RecordBatches;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Behavioural events from {@code nextbest.events.v1}: each event evaluates the campaigns it
 * triggers, with the customer's profile when there is one, and yields a moment (id {@code
 * m:e:<event id>}) through the {@link MomentPublisher}, a polled batch evaluated and published
 * together. An event without customer or type is skipped, and so is one that happened longer ago
 * than {@code nextbest.moments.max-age} ({@link MomentAge}).
 */
@ApplicationScoped
public class EventConsumer {
  private final MomentPublisher moments;
  private final ProfileLookup profiles;
  private final RecordBatches batches;
  private final JsonCodec json;
  private final MomentAge age;

  public EventConsumer(
      MomentPublisher moments,
      MomentAge age,
      ProfileLookup profiles,
      RecordBatches batches,
      JsonCodec json) {
    this.moments = moments;
    this.age = age;
    this.profiles = profiles;
    this.batches = batches;
    this.json = json;
  }

  @Incoming("events")
  public Uni<Void> onEvents(ConsumerRecords<String, String> records) {
    List<ConsumerRecord<String, String>> list = RecordBatches.list(records);
    return batches.wholeOrEach(
        Topics.EVENTS,
        list,
        () -> eventMoments(list).chain(moments::publishAll),
        RecordBatches.OneByOne.records(r -> onEvent(r.value())));
  }

  private Uni<List<MomentPublisher.Pending>> eventMoments(
      List<ConsumerRecord<String, String>> records) {
    List<CustomerEvent> events = new ArrayList<>(records.size());
    Instant now = Instant.now();
    for (var r : records) {
      CustomerEvent event = json.read(r.value(), CustomerEvent.class);
      if (decidable(event, now)) {
        events.add(event);
      }
    }
    if (events.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return Retries.whileOutage(
            profiles
                .findAll(events.stream().map(CustomerEvent::customerId).toList())
                .onFailure()
                .recoverWithItem(Map.of()))
        .map(
            found ->
                events.stream().map(e -> eventMoment(e, found.get(e.customerId()), now)).toList());
  }

  Uni<Void> onEvent(String payload) {
    CustomerEvent event = json.read(payload, CustomerEvent.class);
    Instant now = Instant.now();
    if (!decidable(event, now)) {
      return Uni.createFrom().voidItem();
    }
    return Retries.whileOutage(profiles.find(event.customerId()).onFailure().recoverWithNull())
        .chain(profile -> moments.emit(eventMoment(event, profile, now)));
  }

  private boolean decidable(CustomerEvent event, Instant now) {
    return event.customerId() != null
        && event.type() != null
        && age.freshEvent(event.occurredAt(), now);
  }

  private static MomentPublisher.Pending eventMoment(
      CustomerEvent event, ProfileSnapshot profile, Instant now) {
    Map<String, Object> doc = new LinkedHashMap<>();
    if (event.properties() != null) {
      doc.putAll(event.properties());
    }
    doc.put("id", event.id());
    doc.put("type", event.type());
    doc.put("occurredAt", String.valueOf(event.occurredAt()));
    return new MomentPublisher.Pending(
        "m:e:" + event.id(),
        event.id(),
        new EligibilityEngine.Request(
            event.customerId(), profile, doc, null, null, now, EligibilityEngine.Mode.EVENT, null));
  }
}
