package io.nextbest.profile.repository;

import io.nextbest.profile.domain.OutboxMessage;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The transactional outbox, tables {@code outbox} and {@code outbox_parked}: messages queued in the
 * transaction of the change they describe, taken by the relay in id order, and those the broker can
 * never take set aside with their reason. Single messages go through the Hibernate session (the
 * caller's transaction); the ingest path and the relay work on the caller's connection.
 */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxMessage, Long> {
  private final Pool pool;

  public OutboxRepository(Pool pool) {
    this.pool = pool;
  }

  /** One message to queue; a null payload is a tombstone. */
  public record OutboxRow(String topic, String key, String payload) {}

  /** A queued message taken for publishing. */
  public record Pending(
      long id, String topic, String key, String payload, OffsetDateTime createdAt) {}

  /**
   * The messages a relay pass took, in id order.
   *
   * @param bytes their payloads' size in bytes
   */
  public record Taken(List<Pending> rows, long bytes) {}

  /** A message the broker can never take, and why. */
  public record Parked(Pending row, String reason) {}

  /** Queues one message in the caller's transaction (Hibernate session). */
  public Uni<Void> queue(String topic, String key, String payload) {
    return persist(OutboxMessage.of(topic, key, payload)).replaceWithVoid();
  }

  /** Drops the messages not yet relayed of these keys (erasure). */
  public Uni<Long> deleteKeys(Collection<String> keys) {
    return delete("messageKey in ?1", keys);
  }

  /** Queues messages in list order on the caller's connection, in one statement. */
  public Uni<Void> queueAll(SqlConnection conn, List<OutboxRow> messages) {
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

  /** Messages waiting, counted up to {@code limit} (no more rows than that are looked at). */
  public Uni<Long> backlog(long limit) {
    return pool.preparedQuery("select count(*) from (select 1 from outbox limit $1) t")
        .execute(Tuple.of(limit))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Takes and deletes, in one statement on the caller's connection, up to {@code rows} messages in
   * id order, and of those only while the payloads before a message stay under {@code bytes}, so a
   * pass always takes its first message. Rows another pass holds are skipped. If the caller's
   * transaction rolls back, the messages stay.
   */
  public Uni<Taken> take(SqlConnection conn, int rows, long bytes) {
    return conn.preparedQuery(
            "delete from outbox where id in (select id from (select id,"
                + " sum(octet_length(payload)) over (order by id)"
                + " - coalesce(octet_length(payload), 0) as before"
                + " from (select id, payload from outbox order by id limit $1"
                + " for update skip locked) locked) sized"
                + " where coalesce(before, 0) < $2)"
                + " returning id, topic, message_key, payload, created_at,"
                + " octet_length(payload)")
        .execute(Tuple.of(rows, bytes))
        .map(
            taken -> {
              List<Pending> pending = new ArrayList<>(taken.size());
              long payloadBytes = 0;
              for (Row r : taken) {
                pending.add(
                    new Pending(
                        r.getLong(0),
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getOffsetDateTime(4)));
                Integer size = r.getInteger(5);
                payloadBytes += size == null ? 0 : size;
              }
              return new Taken(pending, payloadBytes);
            });
  }

  /** Sets messages aside in {@code outbox_parked} with their reason, on the caller's connection. */
  public Uni<Void> park(SqlConnection conn, List<Parked> parked) {
    if (parked.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> batch = new ArrayList<>(parked.size());
    for (Parked f : parked) {
      Pending r = f.row();
      batch.add(Tuple.of(r.id(), r.topic(), r.key(), r.payload(), f.reason(), r.createdAt()));
    }
    return conn.preparedQuery(
            "insert into outbox_parked (id, topic, message_key, payload, reason, created_at)"
                + " values ($1, $2, $3, $4, $5, $6) on conflict (id) do nothing")
        .executeBatch(batch)
        .replaceWithVoid();
  }
}
