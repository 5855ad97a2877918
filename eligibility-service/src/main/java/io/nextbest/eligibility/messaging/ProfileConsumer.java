package io.nextbest.eligibility.messaging;

import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.RecordBatches;
import io.nextbest.common.messaging.Retries;
import io.nextbest.eligibility.repository.DoNotContactRepository;
import io.nextbest.eligibility.service.ContactHistory;
import io.nextbest.eligibility.service.RuleResults;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Profile changes from {@code nextbest.profiles.v1}: each snapshot re-evaluates the realtime
 * campaigns and yields a moment (id {@code m:<snapshot id>}) through the {@link MomentPublisher}, a
 * polled batch evaluated and published together. A change whose events happened longer ago than
 * {@code nextbest.moments.max-age} ({@link MomentAge}) yields none. An erased customer's tombstone
 * removes their contact history, do-not-contact entries and cached rule results.
 */
@ApplicationScoped
public class ProfileConsumer {
  private final MomentPublisher moments;
  private final ContactHistory contacts;
  private final DoNotContactRepository doNotContact;
  private final RuleResults ruleResults;
  private final RecordBatches batches;
  private final JsonCodec json;
  private final MomentAge age;

  public ProfileConsumer(
      MomentPublisher moments,
      MomentAge age,
      ContactHistory contacts,
      DoNotContactRepository doNotContact,
      RuleResults ruleResults,
      RecordBatches batches,
      JsonCodec json) {
    this.moments = moments;
    this.age = age;
    this.contacts = contacts;
    this.doNotContact = doNotContact;
    this.ruleResults = ruleResults;
    this.batches = batches;
    this.json = json;
  }

  @Incoming("profiles")
  public Uni<Void> onProfiles(ConsumerRecords<String, String> records) {
    List<ConsumerRecord<String, String>> erasures = new ArrayList<>();
    List<ConsumerRecord<String, String>> snapshots = new ArrayList<>();
    records.forEach(r -> (r.value() == null ? erasures : snapshots).add(r));
    // a tombstone's value is null: its dead letter reads "tombstone"
    var one = RecordBatches.OneByOne.records(this::onProfile);
    return batches
        .each(Topics.PROFILES, erasures, one)
        .chain(
            () ->
                batches.wholeOrEach(
                    Topics.PROFILES,
                    snapshots,
                    () -> moments.publishAll(profileMoments(snapshots)),
                    one));
  }

  private List<MomentPublisher.Pending> profileMoments(
      List<ConsumerRecord<String, String>> records) {
    List<MomentPublisher.Pending> out = new ArrayList<>(records.size());
    Instant now = Instant.now();
    for (var r : records) {
      ProfileSnapshot snapshot = json.read(r.value(), ProfileSnapshot.class);
      if (age.freshProfile(snapshot.changedAt(), now)) {
        out.add(profileMoment(snapshot, now));
      }
    }
    return out;
  }

  private static MomentPublisher.Pending profileMoment(ProfileSnapshot snapshot, Instant now) {
    return new MomentPublisher.Pending(
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

  Uni<Void> onProfile(ConsumerRecord<String, String> record) {
    if (record.value() == null) {
      String customerId = record.key();
      if (customerId == null) {
        return Uni.createFrom().voidItem();
      }
      ruleResults.forget(customerId);
      return Retries.whileOutage(
          contacts.forget(customerId).chain(() -> doNotContact.remove(customerId)));
    }
    ProfileSnapshot snapshot = json.read(record.value(), ProfileSnapshot.class);
    Instant now = Instant.now();
    return age.freshProfile(snapshot.changedAt(), now)
        ? moments.emit(profileMoment(snapshot, now))
        : Uni.createFrom().voidItem();
  }
}
