package io.nextbest.eligibility.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.eligibility.service.ContactHistory;
import io.nextbest.eligibility.service.DoNotContactStore;
import io.nextbest.eligibility.service.Eligibility;
import io.nextbest.eligibility.service.EligibilityEngine;
import io.nextbest.eligibility.service.EligibilityResult;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Decision;
import io.nextbest.events.Moment;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The streaming side: a profile change re-evaluates realtime campaigns, an event evaluates the
 * campaigns it triggers, and each yields a moment on {@code nextbest.eligibility.v1} listing the
 * campaigns left after exclusions. Moment ids derive from the cause (snapshot or event id), so a
 * redelivered cause yields the same moment and decision-service decides it once. Decisions that
 * sent something are recorded as contacts for the frequency caps; an erased customer's tombstone
 * removes their contact history and do-not-contact entries.
 */
@ApplicationScoped
public class MomentStreams {
  /** Records of one polled batch worked on at once. */
  static final int CONCURRENCY = 8;

  private static final Logger LOG = Logger.getLogger(MomentStreams.class);
  private final Eligibility eligibility;
  private final ProfileLookup profiles;
  private final ContactHistory contacts;
  private final DoNotContactStore doNotContact;
  private final MutinyEmitter<String> moments;
  private final MutinyEmitter<String> parked;
  private final JsonCodec json;

  public MomentStreams(
      Eligibility eligibility,
      ProfileLookup profiles,
      ContactHistory contacts,
      DoNotContactStore doNotContact,
      @Channel("moments") MutinyEmitter<String> moments,
      @Channel("parked") MutinyEmitter<String> parked,
      JsonCodec json) {
    this.eligibility = eligibility;
    this.profiles = profiles;
    this.contacts = contacts;
    this.doNotContact = doNotContact;
    this.moments = moments;
    this.parked = parked;
    this.json = json;
  }

  @Incoming("profiles")
  public Uni<Void> onProfiles(ConsumerRecords<String, String> records) {
    List<ConsumerRecord<String, String>> list = new ArrayList<>(records.count());
    records.forEach(list::add);
    return each(list, this::onProfile, Topics.PROFILES, ConsumerRecord::key, ConsumerRecord::value);
  }

  @Incoming("events")
  public Uni<Void> onEvents(ConsumerRecords<String, String> records) {
    List<ConsumerRecord<String, String>> list = new ArrayList<>(records.count());
    records.forEach(list::add);
    return each(
        list, r -> onEvent(r.value()), Topics.EVENTS, ConsumerRecord::key, ConsumerRecord::value);
  }

  @Incoming("sends")
  public Uni<Void> onDecisions(ConsumerRecords<String, String> records) {
    List<ConsumerRecord<String, String>> list = new ArrayList<>(records.count());
    records.forEach(list::add);
    return each(
        list,
        r -> onDecision(r.value()),
        Topics.DECISIONS,
        ConsumerRecord::key,
        ConsumerRecord::value);
  }

  /**
   * Works through a polled batch {@value #CONCURRENCY} records at a time. Outages are waited out
   * inside each record's work (the batch, and so the partitions' offsets, wait with them); a record
   * that fails otherwise goes alone to {@code <topic>.dlq} and the rest of the batch goes on.
   */
  private <T> Uni<Void> each(
      List<T> items,
      Function<T, Uni<Void>> work,
      String topic,
      Function<T, String> key,
      Function<T, String> payload) {
    return Multi.createFrom()
        .iterable(items)
        .onItem()
        .transformToUni(
            item ->
                Uni.createFrom()
                    .deferred(() -> work.apply(item))
                    .onFailure()
                    .recoverWithUni(
                        f -> {
                          LOG.warnf(
                              "a record of %s goes to %s.dlq: %s", topic, topic, f.getMessage());
                          String value = payload.apply(item);
                          return Retries.whileOutage(
                              parked.sendMessage(
                                  KeyedMessages.keyed(
                                      topic + ".dlq",
                                      key.apply(item),
                                      value == null ? "tombstone" : value)));
                        })
                    .replaceWith(Boolean.TRUE))
        .merge(CONCURRENCY)
        .collect()
        .last()
        .replaceWithVoid();
  }

  Uni<Void> onProfile(ConsumerRecord<String, String> record) {
    if (record.value() == null) {
      String customerId = record.key();
      return customerId == null
          ? Uni.createFrom().voidItem()
          : Retries.whileOutage(
              contacts.forget(customerId).chain(() -> doNotContact.remove(customerId)));
    }
    ProfileSnapshot snapshot = json.read(record.value(), ProfileSnapshot.class);
    var request =
        new EligibilityEngine.Request(
            snapshot.customerId(),
            snapshot,
            null,
            null,
            null,
            Instant.now(),
            EligibilityEngine.Mode.PROFILE,
            null);
    return emit("m:" + snapshot.id(), snapshot.id(), request);
  }

  Uni<Void> onEvent(String payload) {
    CustomerEvent event = json.read(payload, CustomerEvent.class);
    if (event.customerId() == null || event.type() == null) {
      return Uni.createFrom().voidItem();
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    if (event.properties() != null) {
      doc.putAll(event.properties());
    }
    doc.put("id", event.id());
    doc.put("type", event.type());
    doc.put("occurredAt", String.valueOf(event.occurredAt()));
    return Retries.whileOutage(profiles.find(event.customerId()).onFailure().recoverWithNull())
        .chain(
            profile ->
                emit(
                    "m:e:" + event.id(),
                    event.id(),
                    new EligibilityEngine.Request(
                        event.customerId(),
                        profile,
                        doc,
                        null,
                        null,
                        Instant.now(),
                        EligibilityEngine.Mode.EVENT,
                        null)));
  }

  Uni<Void> onDecision(String payload) {
    Decision d = json.read(payload, Decision.class);
    if (d.campaignId() == null || d.control() || d.channel() == null) {
      return Uni.createFrom().voidItem();
    }
    return Retries.whileOutage(contacts.record(d));
  }

  /** Evaluates and, when something is eligible, publishes the moment. */
  public Uni<Void> emit(String momentId, String cause, EligibilityEngine.Request request) {
    return emitIfEligible(momentId, cause, request).replaceWithVoid();
  }

  /** Like {@link #emit}; answers whether a moment was published. */
  public Uni<Boolean> emitIfEligible(
      String momentId, String cause, EligibilityEngine.Request request) {
    return Retries.whileOutage(eligibility.evaluate(request))
        .chain(
            result -> {
              List<Moment.EligibleCampaign> campaigns =
                  result.globalControl()
                      ? heldOut(result)
                      : result.eligible().stream()
                          .map(EligibilityResult.Eligible::asMomentCampaign)
                          .toList();
              if (campaigns.isEmpty()) {
                return Uni.createFrom().item(false);
              }
              Moment moment =
                  new Moment(
                      momentId,
                      Moment.TYPE,
                      request.customerId(),
                      request.now(),
                      cause,
                      campaigns,
                      result.globalControl());
              return Retries.whileOutage(
                      moments.sendMessage(
                          KeyedMessages.keyed(moment.customerId(), json.write(moment))))
                  .replaceWith(true);
            });
  }

  /**
   * The campaigns a global-control customer would have been eligible for: published on a moment
   * flagged as global control, so the decision is logged (nothing is sent) and the programme's
   * uplift can be measured against it.
   */
  private static List<Moment.EligibleCampaign> heldOut(EligibilityResult result) {
    return result.excluded().stream()
        .filter(x -> x.reason().startsWith("global control group"))
        .map(x -> new Moment.EligibleCampaign(x.campaignId(), null, null, null, true))
        .toList();
  }
}
