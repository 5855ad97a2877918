package io.nextbest.profile.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.nextbest.common.messaging.RecordBatches;
import io.nextbest.events.Topics;
import io.nextbest.profile.service.ProfileCache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the Redis profile cache in step with published snapshots (read-through on a miss), a polled
 * batch at a time: each run of snapshots is cached in one round trip, each tombstone of an erased
 * customer evicts its entry, in topic order. Only a snapshot's customer id and version are read
 * from its text; the document itself is cached as published. A record that is not a snapshot goes
 * to {@code nextbest.profiles.v1.dlq} (and evicts its key's entry).
 */
@ApplicationScoped
public class ProfileCacheConsumer {
  static final String CHANNEL = "profiles-cache";

  private final ProfileCache cache;
  private final RecordBatches batches;
  private final JsonFactory factory = new JsonFactory();

  public ProfileCacheConsumer(ProfileCache cache, RecordBatches batches) {
    this.cache = cache;
    this.batches = batches;
  }

  /**
   * A cache that cannot be written is only a cache: its entries expire and the next read falls back
   * to PostgreSQL, so failures here are not retried.
   */
  @Incoming(CHANNEL)
  public Uni<Void> onSnapshots(ConsumerRecords<String, String> records) {
    List<ProfileCache.Cached> run = new ArrayList<>();
    Uni<Void> done = Uni.createFrom().voidItem();
    for (ConsumerRecord<String, String> r : records) {
      ProfileCache.Cached snapshot = r.value() == null ? null : header(r.value());
      if (snapshot != null) {
        run.add(snapshot);
        continue;
      }
      if (r.value() != null) {
        // not a snapshot: set aside with its reason, and its customer's entry (if any) evicted
        done =
            done.chain(
                () ->
                    batches.park(
                        Topics.PROFILES,
                        r.key(),
                        r.value(),
                        "not a profile snapshot: a snapshot needs customerId and version"));
      }
      if (r.key() != null) {
        List<ProfileCache.Cached> before = run;
        List<String> key = List.of(r.key());
        done =
            done.chain(() -> cache.refreshCached(before))
                .chain(() -> cache.drop(key).onFailure().recoverWithNull());
        run = new ArrayList<>();
      }
    }
    List<ProfileCache.Cached> last = run;
    return done.chain(() -> cache.refreshCached(last));
  }

  /** The snapshot's customer id and version, read from its top level; null when absent. */
  ProfileCache.Cached header(String json) {
    String customerId = null;
    long version = -1;
    try (JsonParser p = factory.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME && (customerId == null || version < 0)) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("customerId".equals(field) && value == JsonToken.VALUE_STRING) {
          customerId = p.getText();
        } else if ("version".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
          version = p.getLongValue();
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      return null;
    }
    return customerId == null || version < 0
        ? null
        : new ProfileCache.Cached(customerId, version, json);
  }
}
