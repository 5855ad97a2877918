package io.nextbest.profile.repository;

import static io.nextbest.common.sql.Columns.texts;
import static io.nextbest.common.sql.Columns.times;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.profile.domain.Customer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Set-based statements for the ingest path: each touches a whole batch in one round trip (arrays
 * unnested server-side), inside the caller's transaction on {@code conn}.
 */
@ApplicationScoped
public class BulkStore {
  private static final String COLUMNS =
      "customer_id, attributes::text as attributes, event_count, purchase_count,"
          + " monetary::text as monetary, first_event_at, last_event_at, state::text as state,"
          + " consents::text as consents, segments, version, updated_at";

  private final JsonCodec json;

  public BulkStore(JsonCodec json) {
    this.json = json;
  }

  /** One event row to store. */
  public record EventRow(
      String id, String customerId, String type, Instant occurredAt, String properties) {}

  /** One outbox message; a null payload is a tombstone. */
  public record OutboxRow(String topic, String key, String payload) {}

  /** The canonical customer of each id that was merged into another. */
  public Uni<Map<String, String>> aliases(SqlConnection conn, Set<String> ids) {
    return conn.preparedQuery(
            "select alias_id, customer_id from identities where alias_id = any($1::text[])")
        .execute(Tuple.of(ids.toArray(String[]::new)))
        .map(
            rows -> {
              Map<String, String> m = new HashMap<>();
              for (Row r : rows) {
                m.put(r.getString(0), r.getString(1));
              }
              return m;
            });
  }

  /**
   * For each of the ids that was erased, the end of its hold; no erase can start until the
   * transaction ends ({@link EraseLock}).
   */
  public Uni<Map<String, Instant>> held(SqlConnection conn, Set<String> ids) {
    return conn.query(EraseLock.SHARED)
        .execute()
        .chain(
            () ->
                conn.preparedQuery(ErasedCustomers.HELD)
                    .execute(Tuple.of(ids.toArray(String[]::new))))
        .map(
            rows -> {
              Map<String, Instant> m = new HashMap<>();
              for (Row r : rows) {
                m.put(r.getString(0), r.getOffsetDateTime(1).toInstant());
              }
              return m;
            });
  }

  /** Inserts the events whose id is new; returns the ids stored (replays are skipped). */
  public Uni<Set<String>> insertEvents(SqlConnection conn, List<EventRow> events) {
    return conn.preparedQuery(
            "insert into events (event_id, customer_id, type, occurred_at, properties)"
                + " select i, c, t, o, p::jsonb from unnest($1::text[], $2::text[], $3::text[],"
                + " $4::timestamptz[], $5::text[]) as u(i, c, t, o, p)"
                + " on conflict (event_id) do nothing returning event_id")
        .execute(
            Tuple.of(
                texts(events, EventRow::id),
                texts(events, EventRow::customerId),
                texts(events, EventRow::type),
                times(events, EventRow::occurredAt),
                texts(events, EventRow::properties)))
        .map(
            rows -> {
              Set<String> stored = new HashSet<>();
              for (Row r : rows) {
                stored.add(r.getString(0));
              }
              return stored;
            });
  }

  /**
   * The customers' rows, created when missing, locked for update in id order (the order every
   * writer locks in, so concurrent batches cannot deadlock).
   */
  public Uni<Map<String, Customer>> lockOrCreate(SqlConnection conn, List<String> sortedIds) {
    String[] ids = sortedIds.toArray(String[]::new);
    return conn.preparedQuery(
            "insert into customers (customer_id, version, updated_at)"
                + " select unnest($1::text[]), 0, now() on conflict (customer_id) do nothing")
        .execute(Tuple.of((Object) ids))
        .chain(
            () ->
                conn.preparedQuery(
                        "select "
                            + COLUMNS
                            + " from customers where customer_id = any($1::text[])"
                            + " order by customer_id for update")
                    .execute(Tuple.of((Object) ids)))
        .map(
            rows -> {
              Map<String, Customer> m = new LinkedHashMap<>();
              for (Row r : rows) {
                Customer c = customer(r);
                m.put(c.customerId, c);
              }
              return m;
            });
  }

  @SuppressWarnings("unchecked")
  private Customer customer(Row r) {
    Customer c = new Customer();
    c.customerId = r.getString("customer_id");
    c.attributes = json.read(r.getString("attributes"), Map.class);
    c.eventCount = r.getLong("event_count");
    c.purchaseCount = r.getLong("purchase_count");
    c.monetary = new BigDecimal(r.getString("monetary"));
    c.firstEventAt = instant(r.getOffsetDateTime("first_event_at"));
    c.lastEventAt = instant(r.getOffsetDateTime("last_event_at"));
    c.state = r.getString("state");
    c.consents = r.getString("consents");
    c.segments = r.getString("segments");
    c.version = r.getLong("version");
    c.updatedAt = instant(r.getOffsetDateTime("updated_at"));
    return c;
  }

  /** Writes the running aggregates, feature state, segments and version of each customer. */
  public Uni<Void> updateCustomers(SqlConnection conn, List<Customer> customers) {
    int n = customers.size();
    String[] ids = new String[n];
    Long[] events = new Long[n];
    Long[] purchases = new Long[n];
    String[] monetary = new String[n];
    OffsetDateTime[] first = new OffsetDateTime[n];
    OffsetDateTime[] last = new OffsetDateTime[n];
    String[] state = new String[n];
    String[] segments = new String[n];
    Long[] versions = new Long[n];
    OffsetDateTime[] updated = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Customer c = customers.get(i);
      ids[i] = c.customerId;
      events[i] = c.eventCount;
      purchases[i] = c.purchaseCount;
      monetary[i] = c.monetary.toPlainString();
      first[i] = offset(c.firstEventAt);
      last[i] = offset(c.lastEventAt);
      state[i] = c.state;
      segments[i] = c.segments;
      versions[i] = c.version;
      updated[i] = offset(c.updatedAt);
    }
    return conn.preparedQuery(
            "update customers as c set event_count = u.ec, purchase_count = u.pc,"
                + " monetary = u.m::numeric, first_event_at = u.f, last_event_at = u.l,"
                + " state = u.s::jsonb, segments = u.seg, version = u.v, updated_at = u.at"
                + " from unnest($1::text[], $2::int8[], $3::int8[], $4::text[],"
                + " $5::timestamptz[], $6::timestamptz[], $7::text[], $8::text[], $9::int8[],"
                + " $10::timestamptz[]) as u(id, ec, pc, m, f, l, s, seg, v, at)"
                + " where c.customer_id = u.id")
        .execute(
            Tuple.tuple(
                List.of(
                    ids, events, purchases, monetary, first, last, state, segments, versions,
                    updated)))
        .replaceWithVoid();
  }

  /** Queues messages in the outbox, in list order. */
  public Uni<Void> insertOutbox(SqlConnection conn, List<OutboxRow> messages) {
    if (messages.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    int n = messages.size();
    String[] topics = new String[n];
    String[] keys = new String[n];
    String[] payloads = new String[n];
    for (int i = 0; i < n; i++) {
      topics[i] = messages.get(i).topic();
      keys[i] = messages.get(i).key();
      payloads[i] = messages.get(i).payload();
    }
    return conn.preparedQuery(
            "insert into outbox (topic, message_key, payload, created_at)"
                + " select t, k, p, now() from unnest($1::text[], $2::text[], $3::text[])"
                + " with ordinality as u(t, k, p, n) order by n")
        .execute(Tuple.of(topics, keys, payloads))
        .replaceWithVoid();
  }

  /** Applies segment membership changes: (segment, customer) pairs left and entered. */
  public Uni<Void> moveMembers(
      SqlConnection conn, List<String[]> exited, List<String[]> entered, Instant at) {
    Uni<Void> out = Uni.createFrom().voidItem();
    if (!exited.isEmpty()) {
      out =
          out.chain(
              () ->
                  conn.preparedQuery(
                          "delete from segment_members m using unnest($1::text[], $2::text[])"
                              + " as u(s, c) where m.segment_id = u.s and m.customer_id = u.c")
                      .execute(Tuple.of(column(exited, 0), column(exited, 1)))
                      .replaceWithVoid());
    }
    if (!entered.isEmpty()) {
      out =
          out.chain(
              () ->
                  conn.preparedQuery(
                          "insert into segment_members (segment_id, customer_id, entered_at)"
                              + " select u.s, u.c, $3 from unnest($1::text[], $2::text[]) as u(s, c)"
                              + " join segments on segments.id = u.s on conflict do nothing")
                      .execute(Tuple.of(column(entered, 0), column(entered, 1), offset(at)))
                      .replaceWithVoid());
    }
    return out;
  }

  private static String[] column(List<String[]> pairs, int i) {
    String[] out = new String[pairs.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = pairs.get(k)[i];
    }
    return out;
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime offset(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }
}
