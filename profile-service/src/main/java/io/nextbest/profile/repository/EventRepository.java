package io.nextbest.profile.repository;

import static io.nextbest.common.sql.Columns.texts;
import static io.nextbest.common.sql.Columns.times;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code events} table: accepted events; the event id is the primary key, so replays are
 * no-ops.
 */
@ApplicationScoped
public class EventRepository {
  private final Pool pool;

  public EventRepository(Pool pool) {
    this.pool = pool;
  }

  /** One event row to store. */
  public record EventRow(
      String id, String customerId, String type, Instant occurredAt, String properties) {}

  /**
   * Inserts the events whose id is new on the caller's connection, in one statement; returns the
   * ids stored (replays are skipped).
   */
  public Uni<Set<String>> insertNew(SqlConnection conn, List<EventRow> events) {
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

  /** Which of these event ids are stored already, on the caller's connection. */
  public Uni<Set<String>> stored(SqlConnection conn, Collection<String> ids) {
    return conn.preparedQuery("select event_id from events where event_id = any($1::text[])")
        .execute(Tuple.of(ids.toArray(String[]::new)))
        .map(
            rows -> {
              Set<String> stored = new HashSet<>();
              for (Row r : rows) {
                stored.add(r.getString(0));
              }
              return stored;
            });
  }

  /** Moves an alias's events to the customer it was merged into. */
  public Uni<Integer> rekey(String from, String to) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery("update events set customer_id = :to where customer_id = :from")
                    .setParameter("to", to)
                    .setParameter("from", from)
                    .executeUpdate());
  }

  /** Deletes every event of these customer ids (erasure). */
  public Uni<Integer> deleteFor(Collection<String> customerIds) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery("delete from events where customer_id in (:ids)")
                    .setParameter("ids", customerIds)
                    .executeUpdate());
  }

  /**
   * A customer's events, oldest first, as JSON text ({@code eventId}, {@code type}, {@code
   * occurredAt}, {@code properties}), read {@code pageSize} at a time: each page is one query after
   * the last event of the one before (keyset on occurred_at, event_id), so a history of any length
   * is read whole while only one page is held. The last page has fewer than {@code pageSize} rows
   * (it may be empty).
   */
  public Multi<List<String>> pagesFor(String customerId, int pageSize) {
    return Multi.createFrom()
        .deferred(
            () ->
                Multi.createBy()
                    .repeating()
                    .uni(Cursor::new, cursor -> page(customerId, cursor, pageSize))
                    .whilst(page -> page.size() == pageSize));
  }

  /** Where the next page starts: after this event (null before the first page). */
  private static final class Cursor {
    OffsetDateTime occurredAt;
    String eventId;
  }

  private Uni<List<String>> page(String customerId, Cursor after, int pageSize) {
    Uni<RowSet<Row>> rows =
        after.eventId == null
            ? pool.preparedQuery(
                    "select "
                        + EXPORTED
                        + ", occurred_at, event_id from events where customer_id = $1"
                        + " order by occurred_at, event_id limit $2")
                .execute(Tuple.of(customerId, pageSize))
            : pool.preparedQuery(
                    "select "
                        + EXPORTED
                        + ", occurred_at, event_id from events where customer_id = $1"
                        + " and (occurred_at, event_id) > ($2, $3)"
                        + " order by occurred_at, event_id limit $4")
                .execute(Tuple.of(customerId, after.occurredAt, after.eventId, pageSize));
    return rows.map(
        set -> {
          List<String> page = new ArrayList<>(set.size());
          for (Row r : set) {
            page.add(r.getString(0));
            after.occurredAt = r.getOffsetDateTime(1);
            after.eventId = r.getString(2);
          }
          return page;
        });
  }

  private static final String EXPORTED =
      "json_build_object('eventId', event_id, 'type', type, 'occurredAt', occurred_at,"
          + " 'properties', properties)::text";
}
