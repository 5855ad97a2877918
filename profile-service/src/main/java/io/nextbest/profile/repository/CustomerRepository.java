package io.nextbest.profile.repository;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.profile.domain.Customer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code customers} table: customers with their running aggregates, feature state, consents and
 * segment ids. Single rows go through the Hibernate session (the caller's transaction); the ingest
 * path reads and writes whole batches in one statement each on the caller's connection.
 */
@ApplicationScoped
public class CustomerRepository implements PanacheRepositoryBase<Customer, String> {
  private static final String COLUMNS =
      "customer_id, attributes::text as attributes, event_count, purchase_count,"
          + " monetary::text as monetary, first_event_at, last_event_at, state::text as state,"
          + " consents::text as consents, segments, version, updated_at";

  private final Pool pool;
  private final JsonCodec json;

  public CustomerRepository(Pool pool, JsonCodec json) {
    this.pool = pool;
    this.json = json;
  }

  /**
   * The customer row locked for update, created first if missing. The insert ignores a conflict, so
   * two batches creating the same customer at once both end up holding the same row in turn.
   */
  public Uni<Customer> lockOrCreate(String customerId) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into customers (customer_id, version, updated_at)"
                            + " values (:id, 0, now()) on conflict (customer_id) do nothing")
                    .setParameter("id", customerId)
                    .executeUpdate())
        .chain(() -> findById(customerId, LockModeType.PESSIMISTIC_WRITE));
  }

  /** The customer row locked for update, or null. */
  public Uni<Customer> lock(String customerId) {
    return findById(customerId, LockModeType.PESSIMISTIC_WRITE);
  }

  /** Writes a changed customer (new or loaded in this session) at the session's flush. */
  public Uni<Customer> save(Customer c) {
    return persist(c);
  }

  /** How many customers there are. */
  public Uni<Long> countAll() {
    return pool.query("select count(*) from customers")
        .execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** The latest event of any customer, or null when there is none. */
  public Uni<Instant> latestEventAt() {
    return pool.query("select max(last_event_at) from customers")
        .execute()
        .map(rows -> rows.iterator().next().getOffsetDateTime(0))
        .map(at -> at == null ? null : at.toInstant());
  }

  /** Removes one customer row; the number of rows removed. */
  public Uni<Long> deleteCustomer(String customerId) {
    return delete("customerId", customerId);
  }

  /**
   * Up to {@code limit} customers with a purchase after {@code after} (null: from the first), in id
   * order, each read in its own session: one keyset page of a sweep over all purchasers.
   */
  public Uni<List<Customer>> purchasersAfter(String after, int limit) {
    return Panache.withSession(
        () ->
            (after == null
                    ? find("purchaseCount > 0 order by customerId")
                    : find("purchaseCount > 0 and customerId > ?1 order by customerId", after))
                .page(0, limit)
                .list());
  }

  /**
   * Up to {@code limit} customers after {@code after} (null: from the first), in id order, locked
   * for update in the caller's transaction (the order every writer locks in).
   */
  public Uni<List<Customer>> lockPageAfter(String after, int limit) {
    return (after == null
            ? find("order by customerId")
            : find("customerId > ?1 order by customerId", after))
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .page(0, limit)
        .list();
  }

  /** Up to {@code limit} customer ids after {@code after} (null or empty: from the first). */
  public Uni<List<String>> idsAfter(String after, int limit) {
    return pool.preparedQuery(
            "select customer_id from customers where customer_id > $1 order by customer_id limit $2")
        .execute(Tuple.of(after == null ? "" : after, limit))
        .map(
            rows -> {
              List<String> ids = new ArrayList<>(rows.size());
              for (Row r : rows) {
                ids.add(r.getString(0));
              }
              return ids;
            });
  }

  /**
   * The customers' rows, created when missing, locked for update in id order (the order every
   * writer locks in, so concurrent batches cannot deadlock), on the caller's connection.
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

  /**
   * Writes the running aggregates, feature state, segments and version of each customer locked by
   * {@link #lockOrCreate(SqlConnection, List)}, in one statement on the caller's connection.
   */
  public Uni<Void> updateAll(SqlConnection conn, List<Customer> customers) {
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

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime offset(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }
}
