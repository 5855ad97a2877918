package io.nextbest.profile.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nextbest.common.messaging.EventTypes;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.common.sql.ClusterLock;
import io.nextbest.common.sql.ClusterLock.Key;
import io.nextbest.events.Topics;
import io.nextbest.profile.config.OutboxConfig;
import io.nextbest.profile.repository.OutboxRepository;
import io.nextbest.profile.repository.OutboxRepository.Parked;
import io.nextbest.profile.repository.OutboxRepository.Pending;
import io.nextbest.profile.repository.OutboxRepository.Taken;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka and deletes them once the broker acknowledged every one. A pass
 * takes at most {@code nextbest.outbox.relay-batch} rows and {@code
 * nextbest.outbox.relay-batch-bytes} of payload (and always its first row), so what it holds is
 * bounded whatever the rows weigh. A crash between the acknowledgement and the delete re-sends
 * rows: delivery is at least once, and every consumer dedupes by message id. Each record carries
 * its payload's event type in the {@value io.nextbest.events.EventHeaders#EVENT_TYPE} header (read
 * from the stored payload; none on a tombstone), so consumers can skip types they do not handle.
 *
 * <p>Writers {@link #kick()} the relay right after their transaction commits; a sweep every second
 * picks up whatever a kick missed (a crash, an outage). One pass runs at a time across every
 * replica, so rows of one customer leave in commit order: a pass first takes the advisory lock
 * {@link Key#OUTBOX_RELAY} for its transaction, and the broker acknowledges every row of a pass
 * before that transaction deletes them and releases the lock, so the next pass (on any replica)
 * only starts once the previous one's records are on the broker. A replica that finds the lock
 * taken tries again a few times shortly after (its rows may have come in after the holder's last
 * take), then leaves them to the next sweep. A crash mid-pass rolls the pass back: its rows stay
 * and are sent again, in order, by the next pass.
 *
 * <p>A row the broker can never take — over {@code nextbest.outbox.max-record-bytes} (kept below
 * the broker's and the producer's record limits), or refused by the producer for good (record too
 * large, invalid topic, unserializable) — is moved to {@code outbox_parked} with its reason and
 * counted in {@code nextbest_outbox_parked_total} (tagged with the topic), so everything behind it
 * flows on. Failures that may pass (the broker is down, a timeout) keep the whole pass for the next
 * sweep.
 */
@ApplicationScoped
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

  /** How long a replica waits before trying again when another one holds the relay lock. */
  static final Duration BUSY_RETRY = Duration.ofMillis(50);

  /** How many times it tries again before leaving its rows to the next sweep. */
  static final int BUSY_RETRIES = 10;

  private final Pool pool;
  private final OutboxRepository outbox;
  private final MutinyEmitter<String> emitter;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private final int maxRecordBytes;
  private volatile int batch;
  private volatile long batchBytes;
  private final MeterRegistry registry;

  public OutboxRelay(
      Pool pool,
      OutboxRepository outbox,
      @Channel("outbox")
          @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = OutboxConfig.MAX_RELAY_BATCH)
          MutinyEmitter<String> emitter,
      OutboxConfig config,
      MeterRegistry registry) {
    this.pool = pool;
    this.outbox = outbox;
    this.emitter = emitter;
    this.maxRecordBytes = config.maxRecordBytes();
    this.batch = config.relayBatch();
    this.batchBytes = config.relayBatchBytes();
    this.registry = registry;
    for (String topic : List.of(Topics.EVENTS, Topics.PROFILES, Topics.PRIVACY)) {
      parkedCounter(registry, topic); // the outbox's topics are counted from zero
    }
  }

  /** Changes what one pass may take (tests, or an operator through a config reload). */
  public void passLimits(int rows, long bytes) {
    this.batch = Math.min(rows, OutboxConfig.MAX_RELAY_BATCH);
    this.batchBytes = bytes;
  }

  @Scheduled(
      every = "${nextbest.outbox.sweep-interval}",
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> sweep() {
    return kick();
  }

  /** Starts a relay pass in the background (failures are logged and retried by the sweep). */
  public void trigger() {
    kick().subscribe().with(done -> {}, e -> LOG.debugf("outbox kick failed: %s", e.toString()));
  }

  /** Starts a relay pass, or asks the running one to go again; completes when this pass ends. */
  public Uni<Void> kick() {
    if (!running.compareAndSet(false, true)) {
      again.set(true);
      return none();
    }
    return drain(0).eventually(() -> running.set(false));
  }

  private Uni<Void> drain(int busy) {
    again.set(false);
    // rows are taken and deleted in one statement; if any send fails the transaction rolls back
    // and they stay for the next pass. A pass takes up to `batch` rows, and of those only while
    // the payloads before a row stay under `batchBytes`, so a pass always takes its first row.
    // The relay lock, held to the commit, keeps passes of all replicas one after the other.
    return pool.withTransaction(
            conn ->
                ClusterLock.tryLock(conn, Key.OUTBOX_RELAY)
                    .chain(
                        locked ->
                            locked
                                ? outbox
                                    .take(conn, batch, batchBytes)
                                    .chain(taken -> publish(conn, taken))
                                : Uni.createFrom().item(Pass.BUSY)))
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf("outbox relay paused, retrying on the next sweep: %s", e.toString());
              return Pass.NONE;
            })
        .chain(
            pass -> {
              if (pass == Pass.BUSY) {
                if (busy >= BUSY_RETRIES) {
                  LOG.debug("outbox relay skipped: another replica holds the relay lock");
                  return none();
                }
                return Uni.createFrom()
                    .voidItem()
                    .onItem()
                    .delayIt()
                    .by(BUSY_RETRY)
                    .chain(() -> drain(busy + 1));
              }
              return pass.full(batch, batchBytes, maxRecordBytes) || again.get()
                  ? drain(0)
                  : none();
            });
  }

  /**
   * What a pass took.
   *
   * @param rows rows taken
   * @param bytes their payloads' size in bytes
   */
  record Pass(int rows, long bytes) {
    static final Pass NONE = new Pass(0, 0);

    /** Another replica holds the relay lock: this one took nothing. */
    static final Pass BUSY = new Pass(0, 0);

    /** The pass may have left rows behind for its limits: the next one follows at once. */
    boolean full(int batch, long batchBytes, long maxRecordBytes) {
      return rows > 0 && (rows >= batch || bytes + maxRecordBytes >= batchBytes);
    }
  }

  private record Refused(Pending row, String reason) {}

  private Uni<Pass> publish(SqlConnection conn, Taken taken) {
    if (taken.rows().isEmpty()) {
      return Uni.createFrom().item(Pass.NONE);
    }
    List<Pending> rows = new ArrayList<>(taken.rows());
    Pass pass = new Pass(rows.size(), taken.bytes());
    rows.sort(Comparator.comparingLong(Pending::id)); // commit order, per customer key
    List<Refused> refused = new ArrayList<>();
    List<Uni<Void>> sends = new ArrayList<>(rows.size());
    for (Pending r : rows) {
      long bytes = recordBytes(r.key(), r.payload(), maxRecordBytes);
      if (bytes > maxRecordBytes) {
        refused.add(
            new Refused(
                r,
                "record of "
                    + bytes
                    + " bytes is over nextbest.outbox.max-record-bytes "
                    + maxRecordBytes));
        continue;
      }
      sends.add(
          emitter
              .sendMessage(
                  KeyedMessages.keyed(
                      r.topic(),
                      r.key(),
                      r.payload(),
                      EventTypes.headers(EventTypes.fromPayload(r.payload()))))
              .onFailure(OutboxRelay::refusedForGood)
              .recoverWithUni(
                  e -> {
                    synchronized (refused) {
                      refused.add(new Refused(r, e.toString()));
                    }
                    return Uni.createFrom().voidItem();
                  }));
    }
    Uni<Void> sent =
        sends.isEmpty()
            ? Uni.createFrom().voidItem()
            : Uni.join().all(sends).andFailFast().replaceWithVoid();
    return sent.chain(() -> park(conn, refused)).replaceWith(pass);
  }

  /** The producer refused the record itself: sending it again cannot succeed. */
  static boolean refusedForGood(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RecordTooLargeException
          || t instanceof RecordBatchTooLargeException
          || t instanceof InvalidTopicException
          || t instanceof SerializationException) {
        return true;
      }
    }
    return false;
  }

  private Uni<Void> park(SqlConnection conn, List<Refused> refused) {
    if (refused.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Parked> parked = new ArrayList<>(refused.size());
    for (Refused f : refused) {
      Pending r = f.row();
      LOG.warnf(
          "outbox row %d (topic %s, key %s) parked in outbox_parked: %s",
          r.id(), r.topic(), r.key(), f.reason());
      parked.add(new Parked(r, f.reason()));
    }
    return outbox
        .park(conn, parked)
        .invoke(() -> refused.forEach(f -> parkedCounter(registry, f.row().topic()).increment()))
        .replaceWithVoid();
  }

  /** The counter of parked rows of {@code topic} (the outbox writes to a few fixed topics). */
  static Counter parkedCounter(MeterRegistry registry, String topic) {
    return Counter.builder("nextbest.outbox.parked")
        .description("outbox rows the broker cannot take, set aside in outbox_parked")
        .tag("topic", topic == null ? "unknown" : topic)
        .register(registry);
  }

  /**
   * The record's key and value in UTF-8 bytes plus the record's own overhead; encoded only when
   * three bytes per character could exceed {@code limit}.
   */
  static long recordBytes(String key, String payload, long limit) {
    long chars = 64L + length(key) + length(payload);
    if (chars * 3 <= limit) {
      return chars;
    }
    return 64L + utf8(key) + utf8(payload);
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }

  private static int utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static Uni<Void> none() {
    return Uni.createFrom().voidItem();
  }
}
