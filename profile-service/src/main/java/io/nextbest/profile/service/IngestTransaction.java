package io.nextbest.profile.service;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.events.CustomerEvent;
import io.nextbest.events.Topics;
import io.nextbest.profile.config.CurrencyConfig;
import io.nextbest.profile.config.FeatureConfig;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.domain.IncomingEvent;
import io.nextbest.profile.features.Currencies;
import io.nextbest.profile.features.EventFacts;
import io.nextbest.profile.features.FeatureCalculator;
import io.nextbest.profile.features.FeatureState;
import io.nextbest.profile.repository.CustomerRepository;
import io.nextbest.profile.repository.ErasedCustomerRepository;
import io.nextbest.profile.repository.EventRepository;
import io.nextbest.profile.repository.EventRepository.EventRow;
import io.nextbest.profile.repository.IdentityRepository;
import io.nextbest.profile.repository.MergeLock;
import io.nextbest.profile.repository.OutboxRepository;
import io.nextbest.profile.repository.OutboxRepository.OutboxRow;
import io.nextbest.profile.repository.SegmentMemberRepository;
import io.nextbest.profile.segments.SegmentMemberships;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The two database steps of ingest. At acceptance, {@link #screen} looks a batch up in one short
 * read: the events of erased customers within their hold, the canonical customer of merged aliases,
 * the event ids stored already. In the log's consumers, {@link #fold} writes a polled batch in one
 * transaction of a few set-based statements whatever its size: the events stored (replays skipped,
 * the event id is the key), the changed customers locked in id order, their aggregates, features,
 * predictions and segments updated, and one snapshot per changed customer (and any segment entry or
 * exit) queued in the outbox. The fold checks holds and aliases again: an erase or a merge may have
 * come between acceptance and fold.
 */
@ApplicationScoped
public class IngestTransaction {
  /** The largest value {@code customers.monetary} (numeric(16, 2)) holds. */
  static final BigDecimal MAX_MONETARY = new BigDecimal("99999999999999.99");

  private final Pool pool;
  private final ErasedCustomerRepository erased;
  private final IdentityRepository identities;
  private final EventRepository events;
  private final CustomerRepository customers;
  private final SegmentMemberRepository members;
  private final OutboxRepository outbox;
  private final Snapshots snapshots;
  private final ProfileChanges changes;
  private final SegmentMemberships memberships;
  private final JsonCodec json;
  private final Set<String> discountEventTypes;
  private final Currencies currencies;

  public IngestTransaction(
      Pool pool,
      ErasedCustomerRepository erased,
      IdentityRepository identities,
      EventRepository events,
      CustomerRepository customers,
      SegmentMemberRepository members,
      OutboxRepository outbox,
      Snapshots snapshots,
      ProfileChanges changes,
      SegmentMemberships memberships,
      JsonCodec json,
      FeatureConfig features,
      CurrencyConfig currency) {
    this.pool = pool;
    this.erased = erased;
    this.identities = identities;
    this.events = events;
    this.customers = customers;
    this.members = members;
    this.outbox = outbox;
    this.snapshots = snapshots;
    this.changes = changes;
    this.memberships = memberships;
    this.json = json;
    this.discountEventTypes = Set.copyOf(features.discountEventTypes());
    this.currencies = new Currencies(currency.base(), currency.rates());
  }

  /**
   * What acceptance found for a batch.
   *
   * @param fresh the events to log: canonical customer, time filled in, each event id once
   * @param refused events of erased customers within their hold, with the end of each one's hold
   * @param stored event ids stored already (replays)
   */
  public record Screened(
      List<CustomerEvent> fresh, Map<String, Instant> refused, Set<String> stored) {}

  /**
   * What a fold stored: the new event ids, the changed profiles, and how many events it dropped
   * because their customer was erased after they were accepted.
   */
  public record Written(Set<String> ids, List<ProfileCache.Cached> snapshots, int refused) {}

  /** Screens valid events at acceptance: one read-only transaction, three indexed lookups. */
  public Uni<Screened> screen(List<IncomingEvent> valid) {
    Instant now = Instant.now();
    Set<String> ids = new LinkedHashSet<>();
    Set<String> eventIds = new LinkedHashSet<>();
    for (IncomingEvent e : valid) {
      ids.add(e.customerId());
      eventIds.add(e.eventId());
    }
    return pool.withTransaction(
        conn ->
            erased
                .held(conn, ids)
                .chain(
                    held ->
                        identities
                            .aliases(conn, ids)
                            .chain(
                                canonical ->
                                    events
                                        .stored(conn, eventIds)
                                        .map(
                                            stored -> {
                                              Map<String, Instant> refused =
                                                  refusals(valid, held, now);
                                              return new Screened(
                                                  resolve(valid, refused, stored, canonical, now),
                                                  refused,
                                                  stored);
                                            }))));
  }

  /**
   * Folds logged events in one transaction: those of customers erased since are dropped, the rest
   * land on their canonical customers (a merge may have come since), replays are skipped, the
   * changed customers are folded and their snapshots queued.
   */
  public Uni<Written> fold(List<CustomerEvent> logged) {
    Set<String> ids = new LinkedHashSet<>();
    logged.forEach(e -> ids.add(e.customerId()));
    // no merge commits while the aliases read here are in use (MergeLock)
    return pool.withTransaction(
        conn ->
            conn.query(MergeLock.SHARED)
                .execute()
                .chain(() -> erased.held(conn, ids))
                .chain(
                    held ->
                        identities
                            .aliases(conn, ids)
                            .chain(
                                canonical -> {
                                  List<CustomerEvent> kept = new ArrayList<>(logged.size());
                                  Set<String> seen = new HashSet<>();
                                  int refused = 0;
                                  for (CustomerEvent e : logged) {
                                    Instant until = held.get(e.customerId());
                                    if (until != null && e.occurredAt().isBefore(until)) {
                                      refused++;
                                    } else if (seen.add(e.id())) {
                                      String to =
                                          canonical.getOrDefault(e.customerId(), e.customerId());
                                      kept.add(
                                          to.equals(e.customerId())
                                              ? e
                                              : new CustomerEvent(
                                                  e.id(),
                                                  e.type(),
                                                  to,
                                                  e.occurredAt(),
                                                  e.properties()));
                                    }
                                  }
                                  return store(conn, kept, refused);
                                })));
  }

  private Uni<Written> store(SqlConnection conn, List<CustomerEvent> kept, int refused) {
    List<EventRow> rows = new ArrayList<>(kept.size());
    for (CustomerEvent e : kept) {
      rows.add(
          new EventRow(
              e.id(), e.customerId(), e.type(), e.occurredAt(), json.write(e.properties())));
    }
    if (rows.isEmpty()) {
      return Uni.createFrom().item(new Written(Set.of(), List.of(), refused));
    }
    return events
        .insertNew(conn, rows)
        .chain(
            stored -> {
              // sorted by customer id: the order rows are locked in
              Map<String, List<CustomerEvent>> changed = new TreeMap<>();
              for (CustomerEvent e : kept) {
                if (stored.contains(e.id())) {
                  changed.computeIfAbsent(e.customerId(), k -> new ArrayList<>()).add(e);
                }
              }
              if (changed.isEmpty()) {
                return Uni.createFrom().item(new Written(stored, List.of(), refused));
              }
              return customers
                  .lockOrCreate(conn, new ArrayList<>(changed.keySet()))
                  .chain(locked -> apply(conn, locked, changed))
                  .map(snapshots -> new Written(stored, snapshots, refused));
            });
  }

  /**
   * The events of erased customers that happened before the end of the customer's hold, by event
   * id: sent by a stale client, or still in flight when the erase came.
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

  /** The batch's valid events to log: not refused, not stored yet, each event id once. */
  private static List<CustomerEvent> resolve(
      List<IncomingEvent> valid,
      Map<String, Instant> refused,
      Set<String> stored,
      Map<String, String> canonical,
      Instant now) {
    Set<String> seen = new HashSet<>();
    List<CustomerEvent> out = new ArrayList<>(valid.size());
    for (IncomingEvent e : valid) {
      if (!refused.containsKey(e.eventId())
          && !stored.contains(e.eventId())
          && seen.add(e.eventId())) {
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
      SqlConnection conn, Map<String, Customer> locked, Map<String, List<CustomerEvent>> changed) {
    List<OutboxRow> outbox = new ArrayList<>(changed.size());
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
      ProfileChanges.Change change = changes.prepare(c, latest(entry.getValue()));
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
    return customers
        .updateAll(conn, updated)
        .chain(() -> members.move(conn, exited, entered, now))
        .chain(() -> this.outbox.queueAll(conn, outbox))
        .replaceWith(published);
  }

  /** When the latest of a customer's folded events happened. */
  private static Instant latest(List<CustomerEvent> events) {
    Instant latest = null;
    for (CustomerEvent e : events) {
      if (latest == null || e.occurredAt().isAfter(latest)) {
        latest = e.occurredAt();
      }
    }
    return latest;
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
      // amounts in the base currency (validated: every currency here has a rate); the stored and
      // published event keeps the currency it was sent in
      Map<String, Object> props = currencies.inBase(e.type(), e.properties());
      c.eventCount++;
      if ("purchase".equals(e.type())) {
        c.purchaseCount++;
        // each amount is bounded, a lifetime of them is held at the column's maximum, so no sum
        // fails the transaction of every batch in the group
        c.monetary = c.monetary.add(EventFacts.decimalAmount(props)).min(MAX_MONETARY);
      } else if (EventFacts.isReturn(e.type())) {
        // net monetary value: what was given back comes off, a return is never a purchase
        c.monetary =
            c.monetary.subtract(EventFacts.decimalAmount(props)).max(MAX_MONETARY.negate());
      }
      if (c.firstEventAt == null || e.occurredAt().isBefore(c.firstEventAt)) {
        c.firstEventAt = e.occurredAt();
      }
      if (c.lastEventAt == null || e.occurredAt().isAfter(c.lastEventAt)) {
        c.lastEventAt = e.occurredAt();
      }
      EventFacts.apply(state, e.type(), e.occurredAt(), props, context);
    }
    snapshots.store(c, state);
  }
}
