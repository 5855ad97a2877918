package io.nextbest.profile.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** The {@code segment_sizes} table: each segment's member count per UTC day. */
@ApplicationScoped
public class SegmentSizeRepository {

  /** A segment's size on a day. */
  public record Size(LocalDate day, long members) {}

  /**
   * Records every segment's current member count (zero for a segment without members) as its size
   * on {@code day}, replacing an earlier recording of that day, in the caller's transaction.
   * Answers the number of segments recorded.
   */
  public Uni<Integer> record(LocalDate day, Instant at) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "insert into segment_sizes (segment_id, day, members, recorded_at)"
                            + " select g.id, :day, coalesce(m.members, 0), :at from segments g"
                            + " left join (select segment_id, count(*) as members"
                            + " from segment_members group by segment_id) m"
                            + " on m.segment_id = g.id on conflict (segment_id, day) do update"
                            + " set members = excluded.members, recorded_at = excluded.recorded_at")
                    .setParameter("day", Date.valueOf(day))
                    .setParameter("at", at.atOffset(ZoneOffset.UTC))
                    .executeUpdate());
  }

  /** Deletes the sizes of days before {@code first}, in the caller's transaction. */
  public Uni<Integer> pruneBefore(LocalDate first) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery("delete from segment_sizes where day < :first")
                    .setParameter("first", Date.valueOf(first))
                    .executeUpdate());
  }

  /** A segment's sizes from {@code since} on, oldest first. */
  public Uni<List<Size>> since(String segmentId, LocalDate since) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "select day, members from segment_sizes where segment_id = :s"
                            + " and day >= :since order by day",
                        Object[].class)
                    .setParameter("s", segmentId)
                    .setParameter("since", Date.valueOf(since))
                    .getResultList())
        .map(
            rows ->
                rows.stream().map(r -> new Size(day(r[0]), ((Number) r[1]).longValue())).toList());
  }

  private static LocalDate day(Object v) {
    return v instanceof LocalDate d ? d : ((Date) v).toLocalDate();
  }
}
