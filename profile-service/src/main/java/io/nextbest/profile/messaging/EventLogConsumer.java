package io.nextbest.profile.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nextbest.common.messaging.DeadLetterQueue;
import io.nextbest.common.messaging.EventTypes;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.RecordBatches;
import io.nextbest.common.messaging.Retries;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Topics;
import io.nextbest.profile.segments.SegmentMemberships;
import io.nextbest.profile.service.AfterCommit;
import io.nextbest.profile.service.IngestTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The log's consumers: the events acceptance wrote to {@code nextbest.events.v1} (every record but
 * the segment events profile-service publishes there itself, whose types acceptance refuses; a
 * record replayed from the topic's .dlq is folded like any other) are stored, folded into their
 * profiles and their snapshots queued, a polled batch in one transaction ({@link
 * IngestTransaction#fold}), so a customer with several events in the batch is folded once. The
 * channel runs {@code mp.messaging.incoming.ingest.concurrency} copies, each a consumer of its own
 * in the group with folds of its own; a customer's events share a partition, so one copy folds them
 * in order. Offsets are committed after the transaction and the cache refresh: a crash in between
 * folds the batch again, and the event ids keep it from counting twice. An outage waits (the log
 * holds the events); a batch that fails otherwise is folded event by event, and only an event at
 * fault goes to {@code nextbest.events.v1.dlq}.
 */
@ApplicationScoped
public class EventLogConsumer {
  static final String CHANNEL = "ingest";

  /**
   * An accepted event is set aside only for a fault of its own: unreadable, or a value PostgreSQL
   * refuses (SQLSTATE class 22 or 23). Anything else — a deadlock, a failover, too many
   * connections, a timeout — is the service's and is retried: the event was answered 202.
   */
  static final RecordBatches.Faults EVENTS_OWN_FAULTS =
      new RecordBatches.Faults(EventLogConsumer::eventsOwn, DeadLetterQueue::reason);

  static boolean eventsOwn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JsonCodec.PoisonMessageException) {
        return true;
      }
      if (t instanceof PgException pg
          && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"))) {
        return true;
      }
    }
    return false;
  }

  private final IngestTransaction folds;
  private final AfterCommit afterCommit;
  private final RecordBatches batches;
  private final JsonCodec json;
  private final Counter folded;
  private final Counter refused;
  private final Timer lag;
  private final Timer transaction;
  private final DistributionSummary batchSize;

  public EventLogConsumer(
      IngestTransaction transaction,
      AfterCommit afterCommit,
      RecordBatches batches,
      JsonCodec json,
      MeterRegistry registry) {
    this.folds = transaction;
    this.afterCommit = afterCommit;
    this.batches = batches;
    this.json = json;
    this.folded =
        Counter.builder("nextbest.ingest.folded")
            .description("Accepted events stored and folded into their profiles (replays excluded)")
            .baseUnit("events")
            .register(registry);
    this.refused =
        Counter.builder("nextbest.ingest.refused.after.acceptance")
            .description("Accepted events dropped at the fold: their customer was erased since")
            .baseUnit("events")
            .register(registry);
    this.lag =
        Timer.builder("nextbest.ingest.fold.lag")
            .description("From an event's acceptance into the log to the commit of its fold")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.transaction =
        Timer.builder("nextbest.ingest.fold.transaction")
            .description(
                "One fold: the transaction of a polled batch and the cache refresh after it")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.batchSize =
        DistributionSummary.builder("nextbest.ingest.fold.batch")
            .description("Accepted events per fold")
            .baseUnit("events")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  @Incoming(CHANNEL)
  public Uni<Void> onEvents(ConsumerRecords<String, String> records) {
    List<ConsumerRecord<String, String>> accepted = new ArrayList<>(records.count());
    for (ConsumerRecord<String, String> r : records) {
      if (r.value() != null && !SegmentMemberships.isSegmentEvent(EventTypes.of(r))) {
        accepted.add(r);
      }
    }
    if (accepted.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return batches
        .readAll(Topics.EVENTS, accepted, ConsumerRecord::value, this::read)
        .chain(
            events ->
                batches.wholeOrEach(
                    Topics.EVENTS,
                    events,
                    () -> fold(events),
                    new RecordBatches.OneByOne<Logged>(
                        e -> fold(List.of(e)),
                        e -> e.event().customerId(),
                        e -> json.write(e.event()),
                        EVENTS_OWN_FAULTS,
                        1)));
  }

  private Logged read(ConsumerRecord<String, String> r) {
    CustomerEvent e = json.read(r.value(), CustomerEvent.class);
    if (e.id() == null || e.customerId() == null || e.type() == null || e.occurredAt() == null) {
      throw new JsonCodec.PoisonMessageException(
          "not an accepted event: it needs id, customerId, type and occurredAt", null);
    }
    return new Logged(e, r.timestamp());
  }

  private Uni<Void> fold(List<Logged> logged) {
    List<CustomerEvent> events = new ArrayList<>(logged.size());
    logged.forEach(l -> events.add(l.event()));
    long started = System.nanoTime();
    return Retries.whileOutage(folds.fold(events))
        .call(written -> afterCommit.profilesWritten(written.snapshots()))
        .invoke(
            written -> {
              transaction.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
              batchSize.record(logged.size());
              folded.increment(written.ids().size());
              refused.increment(written.refused());
              long now = System.currentTimeMillis();
              for (Logged l : logged) {
                if (written.ids().contains(l.event().id())) {
                  lag.record(Duration.ofMillis(Math.max(0, now - l.acceptedAt())));
                }
              }
            })
        .replaceWithVoid();
  }

  /**
   * An accepted event and when the log took it.
   *
   * @param acceptedAt the record's timestamp (producer time), epoch milliseconds
   */
  record Logged(CustomerEvent event, long acceptedAt) {}
}
