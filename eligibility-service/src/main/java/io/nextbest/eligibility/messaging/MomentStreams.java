package io.nextbest.eligibility.messaging;

import io.nextbest.common.messaging.BatchSender;
import io.nextbest.common.messaging.DeadLetterQueue;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.eligibility.repository.DoNotContactRepository;
import io.nextbest.eligibility.service.ContactHistory;
import io.nextbest.eligibility.service.Eligibility;
import io.nextbest.eligibility.service.EligibilityEngine;
import io.nextbest.eligibility.service.EligibilityResult;
import io.nextbest.eligibility.service.RuleResults;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Decision;
import io.nextbest.events.ExclusionCode;
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
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
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
  private final DoNotContactRepository doNotContact;
  private final MutinyEmitter<String> moments;
  private final DeadLetterQueue deadLetters;
  private final JsonCodec json;
  private final BatchSender sender;
  private final RuleResults ruleResults;

  public MomentStreams(
      Eligibility eligibility,
      ProfileLookup profiles,
      ContactHistory contacts,
      DoNotContactRepository doNotContact,
      @Channel("moments") MutinyEmitter<String> moments,
      DeadLetterQueue deadLetters,
      JsonCodec json,
      BatchSender sender,
      RuleResults ruleResults) {
    this.eligibility = eligibility;
    this.ruleResults = ruleResults;
    this.sender = sender;
    this.profiles = profiles;
    this.contacts = contacts;
    this.doNotContact = doNotContact;
    this.moments = moments;
    this.deadLetters = deadLetters;
    this.json = json;
  }

  @Incoming("profiles")
  public Uni<Void> onProfiles(ConsumerRecords<String, String> records) {
    List<ConsumerRecord<String, String>> erasures = new ArrayList<>();
    List<ConsumerRecord<String, String>> snapshots = new ArrayList<>();
    records.forEach(r -> (r.value() == null ? erasures : snapshots).add(r));
    return each(erasures, this::onProfile, Topics.PROFILES, ConsumerRecord::key, r -> null)
        .chain(() -> batched(snapshots, this::profileMoments, this::onProfile, Topics.PROFILES));
  }

  @Incoming("events")
  public Uni<Void> onEvents(ConsumerRecords<String, String> records) {
    List<ConsumerRecord<String, String>> list = new ArrayList<>(records.count());
    records.forEach(list::add);
    return batched(list, this::eventMoments, r -> onEvent(r.value()), Topics.EVENTS);
  }

  /** Records a polled batch's sends with one statement. */
  @Incoming("sends")
  public Uni<Void> onDecisions(ConsumerRecords<String, String> records) {
    List<ConsumerRecord<String, String>> list = new ArrayList<>(records.count());
    records.forEach(list::add);
    return wholeOrOneByOne(
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
        r -> onDecision(r.value()),
        Topics.DECISIONS);
  }

  /** A decision that sent something: counted by the frequency caps. */
  private static boolean isSend(Decision d) {
    return d.campaignId() != null && !d.control() && d.channel() != null;
  }

  /**
   * Works through a polled batch {@value #CONCURRENCY} records at a time. Outages are waited out
   * inside each record's work (the batch, and so the partitions' offsets, wait with them), and so
   * is any other failure of the service's own (a timeout, a full heap); a record that fails for a
   * reason of its own goes alone to {@code <topic>.dlq} with that reason, and the rest of the batch
   * goes on.
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
                deadLetters
                    .guard(
                        () -> work.apply(item), topic, key.apply(item), () -> payload.apply(item))
                    .replaceWith(Boolean.TRUE))
        .merge(CONCURRENCY)
        .collect()
        .last()
        .replaceWithVoid();
  }

  /**
   * A moment to evaluate.
   *
   * @param momentId the moment's id, derived from its cause
   * @param cause the snapshot or event id
   * @param request the evaluation
   */
  record Pending(String momentId, String cause, EligibilityEngine.Request request) {}

  /**
   * Evaluates a polled batch's moments together (one catalogue load, one contact-history read for
   * all its customers) and publishes them through the producer in one pass. Should that fail for
   * another reason than an outage, the records are worked one by one, so only the one at fault is
   * parked; moments already published are published again under the same ids, which
   * decision-service decides once.
   */
  private Uni<Void> batched(
      List<ConsumerRecord<String, String>> records,
      Function<List<ConsumerRecord<String, String>>, Uni<List<Pending>>> plan,
      Function<ConsumerRecord<String, String>, Uni<Void>> one,
      String topic) {
    if (records.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return wholeOrOneByOne(
        records,
        () ->
            plan.apply(records)
                .chain(
                    pending ->
                        Retries.whileOutage(
                                eligibility.evaluateAll(
                                    pending.stream().map(Pending::request).toList()))
                            .chain(results -> publishAll(pending, results))),
        one,
        topic);
  }

  /**
   * Works a polled batch as a whole; should that fail for another reason than an outage (outages
   * are waited out inside), the records are worked one by one, so only the one at fault is parked.
   */
  private Uni<Void> wholeOrOneByOne(
      List<ConsumerRecord<String, String>> records,
      Supplier<Uni<Void>> whole,
      Function<ConsumerRecord<String, String>, Uni<Void>> one,
      String topic) {
    return Uni.createFrom()
        .<Void>deferred(whole::get)
        .onFailure()
        .recoverWithUni(
            e -> {
              LOG.debugf("a batch of %s is worked record by record: %s", topic, e.toString());
              return each(records, one, topic, ConsumerRecord::key, ConsumerRecord::value);
            });
  }

  private Uni<List<Pending>> profileMoments(List<ConsumerRecord<String, String>> records) {
    List<Pending> out = new ArrayList<>(records.size());
    Instant now = Instant.now();
    for (var r : records) {
      out.add(profileMoment(json.read(r.value(), ProfileSnapshot.class), now));
    }
    return Uni.createFrom().item(out);
  }

  private Uni<List<Pending>> eventMoments(List<ConsumerRecord<String, String>> records) {
    List<CustomerEvent> events = new ArrayList<>(records.size());
    for (var r : records) {
      CustomerEvent event = json.read(r.value(), CustomerEvent.class);
      if (event.customerId() != null && event.type() != null) {
        events.add(event);
      }
    }
    if (events.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    Instant now = Instant.now();
    return Retries.whileOutage(
            profiles
                .findAll(events.stream().map(CustomerEvent::customerId).toList())
                .onFailure()
                .recoverWithItem(Map.of()))
        .map(
            found ->
                events.stream().map(e -> eventMoment(e, found.get(e.customerId()), now)).toList());
  }

  private static Pending profileMoment(ProfileSnapshot snapshot, Instant now) {
    return new Pending(
        "m:" + snapshot.id(),
        snapshot.id(),
        new EligibilityEngine.Request(
            snapshot.customerId(),
            snapshot,
            null,
            null,
            null,
            now,
            EligibilityEngine.Mode.PROFILE,
            null));
  }

  private static Pending eventMoment(CustomerEvent event, ProfileSnapshot profile, Instant now) {
    Map<String, Object> doc = new LinkedHashMap<>();
    if (event.properties() != null) {
      doc.putAll(event.properties());
    }
    doc.put("id", event.id());
    doc.put("type", event.type());
    doc.put("occurredAt", String.valueOf(event.occurredAt()));
    return new Pending(
        "m:e:" + event.id(),
        event.id(),
        new EligibilityEngine.Request(
            event.customerId(), profile, doc, null, null, now, EligibilityEngine.Mode.EVENT, null));
  }

  private Uni<Void> publishAll(List<Pending> pending, List<EligibilityResult> results) {
    List<Moment> out = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      Moment m = moment(p.momentId(), p.cause(), p.request(), results.get(i));
      if (m != null) {
        out.add(m);
      }
    }
    return Retries.whileOutage(
        sender.send(
            "moments",
            out.stream()
                .map(m -> new ProducerRecord<>(Topics.ELIGIBILITY, m.customerId(), json.write(m)))
                .toList()));
  }

  Uni<Void> onProfile(ConsumerRecord<String, String> record) {
    if (record.value() == null) {
      String customerId = record.key();
      if (customerId != null) {
        ruleResults.forget(customerId);
      }
      return customerId == null
          ? Uni.createFrom().voidItem()
          : Retries.whileOutage(
              contacts.forget(customerId).chain(() -> doNotContact.remove(customerId)));
    }
    Pending p = profileMoment(json.read(record.value(), ProfileSnapshot.class), Instant.now());
    return emit(p.momentId(), p.cause(), p.request());
  }

  Uni<Void> onEvent(String payload) {
    CustomerEvent event = json.read(payload, CustomerEvent.class);
    if (event.customerId() == null || event.type() == null) {
      return Uni.createFrom().voidItem();
    }
    return Retries.whileOutage(profiles.find(event.customerId()).onFailure().recoverWithNull())
        .chain(
            profile -> {
              Pending p = eventMoment(event, profile, Instant.now());
              return emit(p.momentId(), p.cause(), p.request());
            });
  }

  Uni<Void> onDecision(String payload) {
    Decision d = json.read(payload, Decision.class);
    return isSend(d) ? Retries.whileOutage(contacts.record(d)) : Uni.createFrom().voidItem();
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
              Moment moment = moment(momentId, cause, request, result);
              return moment == null
                  ? Uni.createFrom().item(false)
                  : publish(moment).replaceWith(true);
            });
  }

  /** The moment to publish for this result, or null when nothing is eligible. */
  private static Moment moment(
      String momentId, String cause, EligibilityEngine.Request request, EligibilityResult result) {
    List<Moment.EligibleCampaign> campaigns =
        result.globalControl()
            ? heldOut(result)
            : result.eligible().stream().map(EligibilityResult.Eligible::asMomentCampaign).toList();
    if (campaigns.isEmpty()) {
      return null;
    }
    return new Moment(
        momentId,
        Moment.TYPE,
        request.customerId(),
        request.now(),
        cause,
        campaigns,
        result.globalControl());
  }

  private Uni<Void> publish(Moment moment) {
    return Retries.whileOutage(
        moments.sendMessage(KeyedMessages.keyed(moment.customerId(), json.write(moment))));
  }

  /**
   * The campaigns a global-control customer would have been eligible for: published on a moment
   * flagged as global control, so the decision is logged (nothing is sent) and the programme's
   * uplift can be measured against it.
   */
  private static List<Moment.EligibleCampaign> heldOut(EligibilityResult result) {
    return result.excluded().stream()
        .filter(x -> x.code() == ExclusionCode.GLOBAL_CONTROL)
        .map(x -> new Moment.EligibleCampaign(x.campaignId(), null, null, null, true))
        .toList();
  }
}
