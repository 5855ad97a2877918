package io.nextbest.profile.segments;

import io.nextbest.profile.config.SegmentHistoryConfig;
import io.nextbest.profile.repository.SegmentRepository;
import io.nextbest.profile.repository.SegmentSizeRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Membership over time: every segment's size recorded as today's (UTC) 10 s after start and then
 * every {@code nextbest.segment-history.every}, a day keeping its last recording, and days older
 * than {@code nextbest.segment-history.days} pruned. Replicas may record at the same time: a
 * recording replaces the day's row with the same count, so no lock is needed.
 */
@ApplicationScoped
public class SegmentHistory {
  private static final Logger LOG = Logger.getLogger(SegmentHistory.class);

  private final SegmentSizeRepository sizes;
  private final SegmentRepository segments;
  private final int keptDays;

  public SegmentHistory(
      SegmentSizeRepository sizes, SegmentRepository segments, SegmentHistoryConfig config) {
    this.sizes = sizes;
    this.segments = segments;
    this.keptDays = config.days();
  }

  /**
   * A segment's sizes, one per day with a recording.
   *
   * @param segmentId the segment
   * @param from the first day asked for
   * @param to today (UTC)
   * @param days the recorded days from {@code from} on, oldest first
   */
  public record History(String segmentId, LocalDate from, LocalDate to, List<Day> days) {}

  /** A segment's size on a day, as last recorded that day. */
  public record Day(LocalDate day, long members) {}

  @Scheduled(
      every = "${nextbest.segment-history.every}",
      delayed = "10s",
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> scheduled() {
    return record()
        .onFailure()
        .invoke(f -> LOG.warnf("segment sizes not recorded: %s", f.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /** Records every segment's size as today's and prunes the days no longer kept. */
  public Uni<Integer> record() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    return Panache.withTransaction(
        () ->
            sizes
                .record(today, Instant.now())
                .call(() -> sizes.pruneBefore(today.minusDays(keptDays - 1L))));
  }

  /** The last {@code days} days (today included) of a segment's sizes; 404 for no such segment. */
  @WithSession
  public Uni<History> of(String segmentId, int days) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate from = today.minusDays(days - 1L);
    return segments
        .findById(segmentId)
        .onItem()
        .ifNull()
        .failWith(
            () ->
                new NotFoundException(
                    "No segment '" + segmentId + "'; GET /api/v1/segments lists them."))
        .chain(s -> sizes.since(segmentId, from))
        .map(
            list ->
                new History(
                    segmentId,
                    from,
                    today,
                    list.stream().map(d -> new Day(d.day(), d.members())).toList()));
  }
}
