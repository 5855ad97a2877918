package io.nextbest.profile.service;

import io.nextbest.common.rest.Outages;
import io.nextbest.profile.config.CurrencyConfig;
import io.nextbest.profile.config.IngestConfig;
import io.nextbest.profile.domain.IncomingEvent;
import io.nextbest.profile.features.Currencies;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Ingests batches in group transactions: the batches that arrive while a transaction runs wait for
 * the next one, which writes them together (up to {@code nextbest.ingest.group-events} events), so
 * concurrent batches that share customers do not queue on each other's row locks, one after the
 * other. A group is written by {@link IngestTransaction}; once it committed, the changed profiles
 * are cached, the outbox relay woken and each batch answered with its own counts.
 *
 * <p>What waits is bounded: while batches are in flight (queued or being written), a batch that
 * would take them beyond {@code nextbest.ingest.max-queued-events} events or {@code
 * nextbest.ingest.max-queued-bytes} bytes of request body fails with {@link IngestBehindException},
 * and its sender retries it later.
 */
@ApplicationScoped
public class IngestQueue {
  private static final Logger LOG = Logger.getLogger(IngestQueue.class);
  private final IngestTransaction transaction;
  private final AfterCommit afterCommit;
  private final int groupEvents;
  private final Currencies currencies;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile int maxQueuedEvents;
  private volatile long maxQueuedBytes;
  // accepted and not yet answered; guarded by this
  private int inFlightEvents;
  private long inFlightBytes;

  public IngestQueue(
      IngestTransaction transaction,
      AfterCommit afterCommit,
      IngestConfig config,
      CurrencyConfig currency) {
    this.transaction = transaction;
    this.currencies = new Currencies(currency.base(), currency.rates());
    this.afterCommit = afterCommit;
    this.groupEvents = config.groupEvents();
    this.maxQueuedEvents = config.maxQueuedEvents();
    this.maxQueuedBytes = config.maxQueuedBytes();
  }

  /**
   * Validates the batch, then queues its valid events for the next group transaction; completes
   * with this batch's own counts once that transaction committed, or fails with {@link
   * IngestBehindException} when the batches in flight leave no room for it.
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
    Context context = Vertx.currentContext();
    return Uni.createFrom()
        .emitter(
            emitter -> {
              String full = reserve(valid.size(), bodyBytes);
              if (full != null) {
                emitter.fail(new IngestBehindException(full));
                return;
              }
              queue.add(
                  new Pending(
                      valid,
                      positions,
                      rejected,
                      bodyBytes,
                      emitter,
                      context,
                      new AtomicBoolean()));
              drain();
            });
  }

  /**
   * Counts a batch in flight, or says which limit it would break. A batch arriving while nothing is
   * in flight is always taken, so that no batch within the input limits waits forever.
   */
  private synchronized String reserve(int events, long bytes) {
    if (inFlightEvents > 0 && inFlightEvents + events > maxQueuedEvents) {
      return String.format(
          Locale.ROOT,
          "Ingest is behind: %,d events wait to be written (limit %,d,"
              + " nextbest.ingest.max-queued-events); retry after the delay.",
          inFlightEvents,
          maxQueuedEvents);
    }
    if (inFlightEvents > 0 && inFlightBytes + bytes > maxQueuedBytes) {
      return String.format(
          Locale.ROOT,
          "Ingest is behind: batches of %,d bytes wait to be written (limit %,d,"
              + " nextbest.ingest.max-queued-bytes); retry after the delay.",
          inFlightBytes,
          maxQueuedBytes);
    }
    inFlightEvents += events;
    inFlightBytes += bytes;
    return null;
  }

  private synchronized void release(Pending p) {
    inFlightEvents -= p.valid().size();
    inFlightBytes -= p.bodyBytes();
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

  private void complete(Pending p, IngestResult result) {
    if (p.answered().compareAndSet(false, true)) {
      release(p);
      p.answer(() -> p.emitter().complete(result));
    }
  }

  private void fail(Pending p, Throwable failure) {
    if (p.answered().compareAndSet(false, true)) {
      release(p);
      p.answer(() -> p.emitter().fail(failure));
    }
  }

  /**
   * A batch waiting for its group transaction, and who to answer.
   *
   * @param valid the events that passed validation
   * @param positions the index in the batch of each valid event
   * @param rejected the events validation refused
   * @param bodyBytes the size of the request body
   * @param answered set once the batch has its answer
   */
  private record Pending(
      List<IncomingEvent> valid,
      int[] positions,
      List<IngestResult.Rejection> rejected,
      long bodyBytes,
      UniEmitter<? super IngestResult> emitter,
      Context context,
      AtomicBoolean answered) {

    /** This batch's counts: events the group stored, refused (erased customers) or had already. */
    IngestResult result(Set<String> stored, Map<String, Instant> refused, Set<String> claimed) {
      int accepted = 0;
      int duplicates = 0;
      List<IngestResult.Rejection> all = new ArrayList<>(rejected);
      for (int i = 0; i < valid.size(); i++) {
        IncomingEvent e = valid.get(i);
        Instant heldUntil = refused.get(e.eventId());
        if (heldUntil != null) {
          all.add(
              new IngestResult.Rejection(
                  positions[i],
                  "customerId",
                  "customer '"
                      + e.customerId()
                      + "' was erased; its events up to "
                      + heldUntil
                      + " are refused"));
        } else if (stored.contains(e.eventId()) && claimed.add(e.eventId())) {
          accepted++;
        } else {
          duplicates++;
        }
      }
      all.sort(Comparator.comparingInt(IngestResult.Rejection::index));
      return new IngestResult(accepted, duplicates, all);
    }

    void answer(Runnable r) {
      if (context == null) {
        r.run();
      } else {
        context.runOnContext(v -> r.run());
      }
    }
  }

  /** Starts a group transaction unless one is running; the running one calls this when it ends. */
  private void drain() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    List<Pending> group = new ArrayList<>();
    int events = 0;
    for (Pending p = queue.peek(); p != null; p = queue.peek()) {
      if (!group.isEmpty() && events + p.valid().size() > groupEvents) {
        break;
      }
      group.add(queue.poll());
      events += p.valid().size();
    }
    if (group.isEmpty()) {
      running.set(false);
      if (!queue.isEmpty()) {
        drain();
      }
      return;
    }
    writeGroup(group)
        .subscribe()
        .with(
            done -> {
              running.set(false);
              drain();
            },
            failure -> {
              LOG.errorf(failure, "ingest group failed unanswered");
              group.forEach(p -> fail(p, failure));
              running.set(false);
              drain();
            });
  }

  /**
   * Writes a group in one transaction and answers each batch. When it fails for a reason other than
   * an outage, each batch is written again on its own, so one batch's fault fails only that batch.
   */
  private Uni<Void> writeGroup(List<Pending> group) {
    List<IncomingEvent> all = new ArrayList<>();
    group.forEach(p -> all.addAll(p.valid()));
    return transaction
        .write(all)
        .call(stored -> afterCommit.profilesWritten(stored.snapshots()))
        .invoke(
            stored -> {
              Set<String> claimed = new HashSet<>();
              for (Pending p : group) {
                complete(p, p.result(stored.ids(), stored.refused(), claimed));
              }
            })
        .replaceWithVoid()
        .onFailure()
        .recoverWithUni(
            failure -> {
              if (group.size() == 1 || Outages.isOutage(failure)) {
                group.forEach(p -> fail(p, failure));
                return Uni.createFrom().voidItem();
              }
              Uni<Void> alone = Uni.createFrom().voidItem();
              for (Pending p : group) {
                alone = alone.chain(() -> writeGroup(List.of(p)));
              }
              return alone;
            });
  }
}
