package io.nextbest.eligibility.repository;

import io.nextbest.eligibility.domain.SweepStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Sweeps of scheduled campaigns ({@code campaign_sweeps}); a (campaign, slot) pair is claimed once,
 * so replicas never sweep the same slot twice.
 */
@ApplicationScoped
public class SweepRepository {
  private final Pool pool;

  public SweepRepository(Pool pool) {
    this.pool = pool;
  }

  /** One sweep, or null. */
  public Uni<SweepStatus> byId(String sweepId) {
    return pool.preparedQuery(
            "select sweep_id, campaign_id, started_at, finished_at, customers, moments, error"
                + " from campaign_sweeps where sweep_id = $1")
        .execute(Tuple.of(sweepId))
        .map(rows -> rows.size() == 0 ? null : status(rows.iterator().next()));
  }

  /** The campaign's latest 20 sweeps, newest first. */
  public Uni<List<SweepStatus>> latest(String campaignId) {
    return pool.preparedQuery(
            "select sweep_id, campaign_id, started_at, finished_at, customers, moments, error"
                + " from campaign_sweeps where campaign_id = $1 order by started_at desc limit 20")
        .execute(Tuple.of(campaignId))
        .map(
            rows ->
                StreamSupport.stream(rows.spliterator(), false)
                    .map(SweepRepository::status)
                    .toList());
  }

  /** Claims a slot for a new sweep; answers its status, or null when the slot was taken. */
  public Uni<SweepStatus> claim(String sweepId, String campaignId, long slot) {
    return pool.preparedQuery(
            "insert into campaign_sweeps (sweep_id, campaign_id, slot) values ($1, $2, $3)"
                + " on conflict do nothing returning sweep_id, campaign_id, started_at,"
                + " finished_at, customers, moments, error")
        .execute(Tuple.of(sweepId, campaignId, slot))
        .map(rows -> rows.size() == 0 ? null : status(rows.iterator().next()));
  }

  /** Adds visited customers and sets the moments emitted so far. */
  public Uni<Void> progress(String sweepId, int visited, long emitted) {
    return pool.preparedQuery(
            "update campaign_sweeps set customers = customers + $2, moments = $3"
                + " where sweep_id = $1")
        .execute(Tuple.of(sweepId, visited, emitted))
        .replaceWithVoid();
  }

  /** Marks the sweep finished with its moments. */
  public Uni<Void> finish(String sweepId, long emitted) {
    return pool.preparedQuery(
            "update campaign_sweeps set finished_at = now(), moments = $2 where sweep_id = $1")
        .execute(Tuple.of(sweepId, emitted))
        .replaceWithVoid();
  }

  /** Marks the sweep stopped early, and why. */
  public Uni<Void> fail(String sweepId, String error) {
    return pool.preparedQuery(
            "update campaign_sweeps set finished_at = now(), error = $2 where sweep_id = $1")
        .execute(Tuple.of(sweepId, error))
        .replaceWithVoid();
  }

  private static SweepStatus status(Row r) {
    return new SweepStatus(
        r.getString(0),
        r.getString(1),
        r.getOffsetDateTime(2),
        r.getOffsetDateTime(3),
        r.getLong(4),
        r.getLong(5),
        r.getString(6));
  }
}
