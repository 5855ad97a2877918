package io.nextbest.profile.service;

import io.nextbest.common.messaging.EventTypes;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Topics;
import io.nextbest.profile.config.CurrencyConfig;
import io.nextbest.profile.config.IngestConfig;
import io.nextbest.profile.domain.IncomingEvent;
import io.nextbest.profile.features.Currencies;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Accepts event batches into the log: a batch is validated event by event, screened in one short
 * read ({@link IngestTransaction#screen}: erasure holds, aliases, replays), and its new events are
 * written to {@code nextbest.events.v1}, keyed by canonical customer, with the producer's
 * acknowledgement from every in-sync replica (idempotent producer) before the answer leaves. From
 * then on the batch is durable; the log's consumers ({@code messaging/EventLogConsumer}) store and
 * fold it and publish the snapshots, deduplicating by event id.
 *
 * <p>What waits for the broker is bounded: a batch counts from its screening until the producer has
 * an outcome for each of its records (acknowledged, or refused after {@code delivery.timeout.ms}),
 * even when its answer left before; while batches are in flight, a batch that would take them
 * beyond {@code nextbest.ingest.max-queued-events} events or {@code
 * nextbest.ingest.max-queued-bytes} bytes of request body fails with {@link IngestBehindException},
 * and its sender retries it later.
 */
@ApplicationScoped
public class EventIntake {
  private final IngestTransaction transaction;
  private final MutinyEmitter<String> log;
  private final JsonCodec json;
  private final Currencies currencies;
  private final Duration logTimeout;
  private volatile int maxQueuedEvents;
  private volatile long maxQueuedBytes;
  // accepted and not yet answered; guarded by this
  private int inFlightEvents;
  private long inFlightBytes;

  public EventIntake(
      IngestTransaction transaction,
      @Channel("accepted") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 32768)
          MutinyEmitter<String> log,
      JsonCodec json,
      IngestConfig config,
      CurrencyConfig currency) {
    this.transaction = transaction;
    this.log = log;
    this.json = json;
    this.currencies = new Currencies(currency.base(), currency.rates());
    this.logTimeout = config.logTimeout();
    this.maxQueuedEvents = config.maxQueuedEvents();
    this.maxQueuedBytes = config.maxQueuedBytes();
  }

  /**
   * Validates the batch, then logs its valid events; completes with this batch's counts once the
   * broker acknowledged every one, or fails with {@link IngestBehindException} when the batches in
   * flight leave no room for it. A broker that does not acknowledge within {@code
   * nextbest.ingest.log-timeout} fails it as an outage (503): the sender sends it again, and the
   * event ids keep a second copy from counting.
   *
   * @param bodyBytes the size of the request body the batch was read from
   */
  public Uni<IngestResult> ingest(List<IncomingEvent> batch, long bodyBytes) {
    Instant now = Instant.now();
    List<IngestResult.Rejection> rejected = new ArrayList<>();
    List<IncomingEvent> valid = new ArrayList<>();
    int[] positions = new int[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      IncomingEvent e = batch.get(i);
      var problem = EventValidator.check(i, e, now, currencies);
      if (problem.isPresent()) {
        rejected.add(problem.get());
      } else {
        positions[valid.size()] = i;
        valid.add(e);
      }
    }
    if (valid.isEmpty()) {
      return Uni.createFrom().item(new IngestResult(0, 0, rejected));
    }
    String full = reserve(valid.size(), bodyBytes);
    if (full != null) {
      return Uni.createFrom().failure(new IngestBehindException(full));
    }
    // held until every record of the batch is acknowledged or refused by the producer, even when
    // the answer has left before (a 503 after log-timeout): what waits for the broker stays bounded
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            release(valid.size(), bodyBytes);
          }
        };
    AtomicBoolean sending = new AtomicBoolean();
    return transaction
        .screen(valid)
        .chain(
            screened -> {
              sending.set(true);
              return append(screened.fresh(), release).replaceWith(screened);
            })
        .map(screened -> result(valid, positions, rejected, screened))
        .onTermination()
        .invoke(
            () -> {
              if (!sending.get()) {
                release.run();
              }
            });
  }

  /**
   * Writes the events to the log; completes once the broker acknowledged all of them, fails after
   * {@code log-timeout}. {@code settled} runs once every record is acknowledged or refused.
   */
  private Uni<Void> append(List<CustomerEvent> events, Runnable settled) {
    if (events.isEmpty()) {
      settled.run();
      return Uni.createFrom().voidItem();
    }
    List<Uni<Void>> acks = new ArrayList<>(events.size());
    try {
      for (CustomerEvent e : events) {
        acks.add(
            log.sendMessage(
                    KeyedMessages.keyed(
                        Topics.EVENTS, e.customerId(), json.write(e), EventTypes.headers(e.type())))
                .memoize()
                .indefinitely());
      }
    } catch (RuntimeException e) {
      settled.run(); // nothing was sent yet: the sends are made on subscription
      throw e;
    }
    settleAll(acks, settled);
    return Uni.join()
        .all(acks)
        .andFailFast()
        .replaceWithVoid()
        .ifNoItem()
        .after(logTimeout)
        .fail()
        .onFailure(IllegalStateException.class)
        .transform(
            full ->
                // the emitter's buffer is full: the broker has not been taking records
                new IngestBehindException(
                    "Ingest is behind: the event log takes no more records now; retry after the"
                        + " delay."));
  }

  /** Runs {@code settled} once every send has an outcome, acknowledged or refused. */
  private static void settleAll(List<Uni<Void>> acks, Runnable settled) {
    List<Uni<Void>> outcomes = new ArrayList<>(acks.size());
    acks.forEach(a -> outcomes.add(a.onFailure().recoverWithNull()));
    if (outcomes.isEmpty()) {
      settled.run();
      return;
    }
    Uni.join()
        .all(outcomes)
        .andCollectFailures()
        .subscribe()
        .with(x -> settled.run(), f -> settled.run());
  }

  /** This batch's counts: events logged, refused (erased customers) or stored already. */
  private static IngestResult result(
      List<IncomingEvent> valid,
      int[] positions,
      List<IngestResult.Rejection> rejected,
      IngestTransaction.Screened screened) {
    int accepted = screened.fresh().size();
    int refused = 0;
    List<IngestResult.Rejection> all = new ArrayList<>(rejected);
    for (int i = 0; i < valid.size(); i++) {
      IncomingEvent e = valid.get(i);
      Instant heldUntil = screened.refused().get(e.eventId());
      if (heldUntil != null) {
        refused++;
        all.add(
            new IngestResult.Rejection(
                positions[i],
                "customerId",
                "customer '"
                    + e.customerId()
                    + "' was erased; its events up to "
                    + heldUntil
                    + " are refused"));
      }
    }
    // the rest: replays of stored events, or an event id repeated within the batch
    int duplicates = valid.size() - accepted - refused;
    all.sort(Comparator.comparingInt(IngestResult.Rejection::index));
    return new IngestResult(accepted, duplicates, all);
  }

  /**
   * Counts a batch in flight, or says which limit it would break. A batch arriving while nothing is
   * in flight is always taken, so that no batch within the input limits waits forever.
   */
  private synchronized String reserve(int events, long bytes) {
    if (inFlightEvents > 0 && inFlightEvents + events > maxQueuedEvents) {
      return String.format(
          Locale.ROOT,
          "Ingest is behind: %,d events wait for the event log (limit %,d,"
              + " nextbest.ingest.max-queued-events); retry after the delay.",
          inFlightEvents,
          maxQueuedEvents);
    }
    if (inFlightEvents > 0 && inFlightBytes + bytes > maxQueuedBytes) {
      return String.format(
          Locale.ROOT,
          "Ingest is behind: batches of %,d bytes wait for the event log (limit %,d,"
              + " nextbest.ingest.max-queued-bytes); retry after the delay.",
          inFlightBytes,
          maxQueuedBytes);
    }
    inFlightEvents += events;
    inFlightBytes += bytes;
    return null;
  }

  private synchronized void release(int events, long bytes) {
    inFlightEvents -= events;
    inFlightBytes -= bytes;
  }

  /** Valid events accepted and not yet answered. */
  public synchronized int inFlightEvents() {
    return inFlightEvents;
  }

  /**
   * Changes the limits of what may be in flight (tests, or an operator through a config reload).
   */
  public void maxQueued(int events, long bytes) {
    this.maxQueuedEvents = events;
    this.maxQueuedBytes = bytes;
  }
}
