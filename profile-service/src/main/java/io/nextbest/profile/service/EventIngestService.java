package io.nextbest.profile.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.rest.Outages;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Topics;
import io.nextbest.profile.config.FeatureConfig;
import io.nextbest.profile.config.IngestConfig;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.domain.IncomingEvent;
import io.nextbest.profile.features.EventFacts;
import io.nextbest.profile.features.FeatureCalculator;
import io.nextbest.profile.features.FeatureState;
import io.nextbest.profile.messaging.OutboxRelay;
import io.nextbest.profile.repository.BulkStore;
import io.nextbest.profile.repository.BulkStore.EventRow;
import io.nextbest.profile.repository.BulkStore.OutboxRow;
import io.nextbest.profile.segments.SegmentMemberships;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Ingests batches in group transactions: the batches that arrive while a transaction runs wait for
 * the next one, which writes them together (up to {@code nextbest.ingest.group-events} events), so
 * concurrent batches that share customers do not queue on each other's row locks, one after the
 * other. Each group is a few set-based statements, whatever its size: valid events are stored
 * (replays skipped), the changed customers locked in id order, their aggregates, features,
 * predictions and segments updated, and the events plus one snapshot per changed customer (and any
 * segment entry or exit) queued in the outbox. Events for a merged alias land on the merged
 * customer.
 *
 * <p>What waits is bounded: while batches are in flight (queued or being written), a batch that
 * would take them beyond {@code nextbest.ingest.max-queued-events} events or {@code
 * nextbest.ingest.max-queued-bytes} bytes of request body fails with {@link IngestBehindException},
 * and its sender retries it later.
 */
@ApplicationScoped
public class EventIngestService {
  private static final Logger LOG = Logger.getLogger(EventIngestService.class);
  private final Pool pool;
  private final BulkStore store;
  private final Snapshots snapshots;
  private final ProfileChanges changes;
  private final SegmentMemberships memberships;
  private final JsonCodec json;
  private final ProfileCache cache;
  private final OutboxRelay relay;
  private final int groupEvents;
  private final Set<String> discountEventTypes;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile int maxQueuedEvents;
  private volatile long maxQueuedBytes;
  // accepted and not yet answered; guarded by this
  private int inFlightEvents;
  private long inFlightBytes;

  public EventIngestService(
      Pool pool,
      BulkStore store,
      Snapshots snapshots,
      ProfileChanges changes,
      SegmentMemberships memberships,
      JsonCodec json,
      ProfileCache cache,
      OutboxRelay relay,
      FeatureConfig features,
      IngestConfig config) {
    this.cache = cache;
    this.relay = relay;
    this.discountEventTypes = Set.copyOf(features.discountEventTypes());
    this.groupEvents = config.groupEvents();
    this.maxQueuedEvents = config.maxQueuedEvents();
    this.maxQueuedBytes = config.maxQueuedBytes();
    this.pool = pool;
    this.store = store;
    this.snapshots = snapshots;
    this.changes = changes;
    this.memberships = memberships;
    this.json = json;
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
      var problem = EventValidator.check(i, e, now);
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
    return write(all)
        .call(stored -> cache.refreshCached(stored.snapshots()))
        .invoke(
            stored -> {
              relay.trigger();
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

  /**
   * What a group transaction stored: the new event ids and the changed profiles; and the events it
   * refused, of customers erased, with the end of each one's hold.
   */
  private record Stored(
      Set<String> ids, List<ProfileCache.Cached> snapshots, Map<String, Instant> refused) {}

  private Uni<Stored> write(List<IncomingEvent> valid) {
    Instant now = Instant.now();
    Set<String> ids = new LinkedHashSet<>();
    valid.forEach(e -> ids.add(e.customerId()));
    Map<String, Instant> refused = new HashMap<>();
    return pool.withTransaction(
        conn ->
            store
                .held(conn, ids)
                .invoke(held -> refused.putAll(refusals(valid, held, now)))
                .chain(() -> store.aliases(conn, ids))
                .chain(
                    canonical -> {
                      List<CustomerEvent> resolved = resolve(valid, refused, canonical, now);
                      List<EventRow> rows = new ArrayList<>(resolved.size());
                      for (CustomerEvent e : resolved) {
                        rows.add(
                            new EventRow(
                                e.id(),
                                e.customerId(),
                                e.type(),
                                e.occurredAt(),
                                json.write(e.properties())));
                      }
                      return store
                          .insertEvents(conn, rows)
                          .chain(
                              stored -> {
                                // sorted by customer id: the order rows are locked in
                                Map<String, List<CustomerEvent>> changed = new TreeMap<>();
                                List<OutboxRow> outbox = new ArrayList<>();
                                for (CustomerEvent e : resolved) {
                                  if (stored.contains(e.id())) {
                                    changed
                                        .computeIfAbsent(e.customerId(), k -> new ArrayList<>())
                                        .add(e);
                                    outbox.add(
                                        new OutboxRow(
                                            Topics.EVENTS, e.customerId(), json.write(e)));
                                  }
                                }
                                if (changed.isEmpty()) {
                                  return Uni.createFrom()
                                      .item(
                                          new Stored(
                                              stored, List.<ProfileCache.Cached>of(), refused));
                                }
                                return store
                                    .lockOrCreate(conn, new ArrayList<>(changed.keySet()))
                                    .chain(locked -> apply(conn, locked, changed, outbox))
                                    .map(snapshots -> new Stored(stored, snapshots, refused));
                              });
                    }));
  }

  /**
   * The events of erased customers that happened before the end of the customer's hold, by event
   * id: still in flight when the erase came, or sent by a stale client.
   */
  private static Map<String, Instant> refusals(
      List<IncomingEvent> valid, Map<String, Instant> held, Instant now) {
    Map<String, Instant> out = new HashMap<>();
    if (held.isEmpty()) {
      return out;
    }
    for (IncomingEvent e : valid) {
      Instant until = held.get(e.customerId());
      Instant at = e.occurredAt() == null ? now : e.occurredAt();
      if (until != null && at.isBefore(until)) {
        out.put(e.eventId(), until);
      }
    }
    return out;
  }

  /** The batch's valid, unrefused events on their canonical customers, each event id once. */
  private static List<CustomerEvent> resolve(
      List<IncomingEvent> valid,
      Map<String, Instant> refused,
      Map<String, String> canonical,
      Instant now) {
    Set<String> seen = new HashSet<>();
    List<CustomerEvent> out = new ArrayList<>(valid.size());
    for (IncomingEvent e : valid) {
      if (!refused.containsKey(e.eventId()) && seen.add(e.eventId())) {
        out.add(
            new CustomerEvent(
                e.eventId(),
                e.type(),
                canonical.getOrDefault(e.customerId(), e.customerId()),
                e.occurredAt() == null ? now : e.occurredAt(),
                e.properties() == null ? Map.of() : e.properties()));
      }
    }
    return out;
  }

  /** Folds each customer's new events into its row and writes rows, snapshots and segments. */
  private Uni<List<ProfileCache.Cached>> apply(
      io.vertx.mutiny.sqlclient.SqlConnection conn,
      Map<String, Customer> locked,
      Map<String, List<CustomerEvent>> changed,
      List<OutboxRow> outbox) {
    Instant now = Instant.now();
    List<Customer> updated = new ArrayList<>(changed.size());
    List<ProfileCache.Cached> published = new ArrayList<>(changed.size());
    List<String[]> exited = new ArrayList<>();
    List<String[]> entered = new ArrayList<>();
    Map<String, List<OutboxRow>> segmentEvents = new LinkedHashMap<>();
    for (var entry : changed.entrySet()) {
      Customer c = locked.get(entry.getKey());
      fold(c, entry.getValue());
      c.version++;
      c.updatedAt = now;
      ProfileChanges.Change change = changes.prepare(c);
      updated.add(c);
      String payload = changes.payload(change);
      published.add(new ProfileCache.Cached(c.customerId, change.snapshot().version(), payload));
      outbox.add(new OutboxRow(Topics.PROFILES, c.customerId, payload));
      if (change.moved()) {
        List<OutboxRow> moves = segmentEvents.computeIfAbsent(c.customerId, k -> new ArrayList<>());
        for (String s : change.before()) {
          if (!change.after().contains(s)) {
            exited.add(new String[] {s, c.customerId});
            moves.add(segmentEvent(c, s, SegmentMemberships.EXITED, now));
          }
        }
        for (String s : change.after()) {
          if (!change.before().contains(s)) {
            entered.add(new String[] {s, c.customerId});
            moves.add(segmentEvent(c, s, SegmentMemberships.ENTERED, now));
          }
        }
      }
    }
    segmentEvents.values().forEach(outbox::addAll);
    return store
        .updateCustomers(conn, updated)
        .chain(() -> store.moveMembers(conn, exited, entered, now))
        .chain(() -> store.insertOutbox(conn, outbox))
        .replaceWith(published);
  }

  private OutboxRow segmentEvent(Customer c, String segment, String type, Instant at) {
    return new OutboxRow(
        Topics.EVENTS, c.customerId, memberships.event(c.customerId, segment, type, c.version, at));
  }

  private void fold(Customer c, List<CustomerEvent> newEvents) {
    FeatureState state = snapshots.state(c);
    var context =
        new EventFacts.Context(
            FeatureCalculator.zoneOf(c.attributes),
            c.attributes != null && c.attributes.get("locale") instanceof String l ? l : null,
            discountEventTypes);
    for (CustomerEvent e : newEvents) {
      c.eventCount++;
      if ("purchase".equals(e.type())) {
        c.purchaseCount++;
        c.monetary = c.monetary.add(EventFacts.decimalAmount(e.properties()));
      }
      if (c.firstEventAt == null || e.occurredAt().isBefore(c.firstEventAt)) {
        c.firstEventAt = e.occurredAt();
      }
      if (c.lastEventAt == null || e.occurredAt().isAfter(c.lastEventAt)) {
        c.lastEventAt = e.occurredAt();
      }
      EventFacts.apply(state, e.type(), e.occurredAt(), e.properties(), context);
    }
    snapshots.store(c, state);
  }
}
