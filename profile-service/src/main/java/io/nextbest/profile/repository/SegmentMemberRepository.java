package io.nextbest.profile.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code segment_members} table: who is in which segment, since when. Single customers go
 * through the Hibernate session (the caller's transaction); the ingest path moves a whole batch's
 * members on the caller's connection. A segment deleted meanwhile gets no member.
 */
@ApplicationScoped
public class SegmentMemberRepository {

  /** A member of a segment. */
  public record Member(String customerId, Instant enteredAt) {}

  /** Takes the customer out of these segments. */
  public Uni<Void> leave(String customerId, List<String> segmentIds) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "delete from segment_members where customer_id = :c"
                            + " and segment_id in (:ids)")
                    .setParameter("c", customerId)
                    .setParameter("ids", segmentIds)
                    .executeUpdate())
        .replaceWithVoid();
  }

  /** Puts the customer in the segment (if it still exists) from {@code at} on. */
  public Uni<Void> enter(String customerId, String segmentId, Instant at) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into segment_members (segment_id, customer_id,"
                            + " entered_at) select id, :c, :at from segments"
                            + " where id = :s on conflict do nothing")
                    .setParameter("s", segmentId)
                    .setParameter("c", customerId)
                    .setParameter("at", at.atOffset(ZoneOffset.UTC))
                    .executeUpdate())
        .replaceWithVoid();
  }

  /** Removes every membership of the given customer ids (erasure, merge). */
  public Uni<Integer> forget(Collection<String> customerIds) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery("delete from segment_members where customer_id in (:ids)")
                    .setParameter("ids", customerIds)
                    .executeUpdate());
  }

  /** Up to {@code limit} members of the segment after {@code after}, in customer id order. */
  public Uni<List<Member>> page(String segmentId, String after, int limit) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "select customer_id, entered_at from segment_members"
                            + " where segment_id = :s and customer_id > :after"
                            + " order by customer_id limit :limit",
                        Object[].class)
                    .setParameter("s", segmentId)
                    .setParameter("after", after == null ? "" : after)
                    .setParameter("limit", limit)
                    .getResultList())
        .map(rows -> rows.stream().map(r -> new Member((String) r[0], instant(r[1]))).toList());
  }

  /** How many members the segment has. */
  public Uni<Long> count(String segmentId) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "select count(*) from segment_members where segment_id = :s", Long.class)
                    .setParameter("s", segmentId)
                    .getSingleResult());
  }

  /** The member count of every segment with members. */
  public Uni<Map<String, Long>> counts() {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "select segment_id, count(*) from segment_members group by segment_id",
                        Object[].class)
                    .getResultList())
        .map(
            rows -> {
              Map<String, Long> out = new HashMap<>();
              rows.forEach(r -> out.put((String) r[0], ((Number) r[1]).longValue()));
              return out;
            });
  }

  /**
   * The member count of every segment with members, counting only customers up to {@code
   * lastCustomerId} in id order (those a re-evaluation pass has seen so far).
   */
  public Uni<Map<String, Long>> countsUpTo(String lastCustomerId) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "select segment_id, count(*) from segment_members"
                            + " where customer_id <= :last group by segment_id",
                        Object[].class)
                    .setParameter("last", lastCustomerId)
                    .getResultList())
        .map(
            rows -> {
              Map<String, Long> out = new HashMap<>();
              rows.forEach(r -> out.put((String) r[0], ((Number) r[1]).longValue()));
              return out;
            });
  }

  /**
   * Applies a batch's membership changes on the caller's connection: (segment, customer) pairs left
   * and entered.
   */
  public Uni<Void> move(
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
                      .execute(
                          Tuple.of(
                              column(entered, 0), column(entered, 1), at.atOffset(ZoneOffset.UTC)))
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

  private static Instant instant(Object v) {
    return v instanceof OffsetDateTime o
        ? o.toInstant()
        : v instanceof Instant i
            ? i
            : v instanceof LocalDateTime l ? l.toInstant(ZoneOffset.UTC) : null;
  }
}
