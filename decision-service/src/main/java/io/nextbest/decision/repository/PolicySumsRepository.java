package io.nextbest.decision.repository;

import io.nextbest.decision.domain.ValueSums;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The running sums of promotion ({@code policy_sums}), one row per bucket and target policy. A day
 * bucket is named {@code <bucket>@<epoch day>}.
 */
@ApplicationScoped
public class PolicySumsRepository {
  /**
   * Terms to add to one row.
   *
   * @param bucket the bucket
   * @param policy the target policy
   * @param sums the terms
   */
  public record Terms(String bucket, String policy, ValueSums sums) {}

  private final Pool pool;

  public PolicySumsRepository(Pool pool) {
    this.pool = pool;
  }

  /** Adds terms to their rows (created when absent) in the caller's transaction. */
  public Uni<Void> addAll(SqlConnection conn, List<Terms> terms) {
    List<Tuple> rows = new ArrayList<>();
    for (Terms t : terms) {
      ValueSums v = t.sums();
      rows.add(
          Tuple.tuple(
              List.of(
                  t.bucket(),
                  t.policy(),
                  v.n(),
                  v.sw(),
                  v.swr(),
                  v.sw2(),
                  v.sw2r(),
                  v.sw2r2(),
                  v.matches(),
                  v.sdr(),
                  v.sdr2())));
    }
    return conn.preparedQuery(
            "insert into policy_sums (bucket, policy, n, sw, swr, sw2, sw2r, sw2r2, matches, sdr,"
                + " sdr2) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict"
                + " (bucket, policy) do update set n = policy_sums.n + excluded.n, sw ="
                + " policy_sums.sw + excluded.sw, swr = policy_sums.swr + excluded.swr, sw2 ="
                + " policy_sums.sw2 + excluded.sw2, sw2r = policy_sums.sw2r + excluded.sw2r,"
                + " sw2r2 = policy_sums.sw2r2 + excluded.sw2r2, matches = policy_sums.matches +"
                + " excluded.matches, sdr = policy_sums.sdr + excluded.sdr, sdr2 ="
                + " policy_sums.sdr2 + excluded.sdr2")
        .executeBatch(rows)
        .replaceWithVoid();
  }

  /**
   * Drops the day buckets matching {@code dayPattern} that are {@code days} or more days older than
   * the latest, in the caller's transaction.
   */
  public Uni<Void> pruneDays(SqlConnection conn, String dayPattern, int days) {
    return conn.preparedQuery(
            "with days as (select bucket, split_part(bucket, '@', 2)::bigint as day from"
                + " policy_sums where bucket like $1) delete from policy_sums p using days d"
                + " where p.bucket = d.bucket and d.day <= (select max(day) from days) - $2")
        .execute(Tuple.of(dayPattern, days))
        .replaceWithVoid();
  }

  /**
   * The sums of the day buckets matching {@code dayPattern} of the last {@code days} days (up to
   * the latest day present), by target policy; empty when no day bucket exists.
   */
  public Uni<Map<String, ValueSums>> recentDays(String dayPattern, int days) {
    return pool.preparedQuery(
            "with days as (select policy, n, sw, swr, sw2, sw2r, sw2r2, matches, sdr, sdr2,"
                + " split_part(bucket, '@', 2)::bigint as day from policy_sums where bucket like"
                + " $1) select policy, sum(n)::bigint, sum(sw), sum(swr), sum(sw2), sum(sw2r),"
                + " sum(sw2r2), sum(matches)::bigint, sum(sdr), sum(sdr2) from days where day >"
                + " (select max(day) from days) - $2 group by policy")
        .execute(Tuple.of(dayPattern, days))
        .map(PolicySumsRepository::sums);
  }

  /**
   * The sums of the latest day buckets matching {@code dayPattern}, within the last {@code days}
   * days (up to the latest day present), that hold at least {@code decisions} decisions (counted on
   * {@code countedPolicy}'s rows): the fewest recent days that do, or the whole window when it
   * holds fewer; by target policy, empty when no day bucket exists.
   */
  public Uni<Map<String, ValueSums>> latestDays(
      String dayPattern, int days, long decisions, String countedPolicy) {
    return pool.preparedQuery(
            "with days as (select policy, n, sw, swr, sw2, sw2r, sw2r2, matches, sdr, sdr2,"
                + " split_part(bucket, '@', 2)::bigint as day from policy_sums where bucket like"
                + " $1), window_days as (select * from days where day > (select max(day) from"
                + " days) - $2), counted as (select day, sum(n) over (order by day desc) - n as"
                + " before from window_days where policy = $4) select policy, sum(n)::bigint,"
                + " sum(sw), sum(swr), sum(sw2), sum(sw2r), sum(sw2r2), sum(matches)::bigint,"
                + " sum(sdr), sum(sdr2) from window_days where day in (select day from counted"
                + " where before < $3) group by policy")
        .execute(Tuple.of(dayPattern, days, decisions, countedPolicy))
        .map(PolicySumsRepository::sums);
  }

  /** The sums of one bucket, by target policy. */
  public Uni<Map<String, ValueSums>> byBucket(String bucket) {
    return pool.preparedQuery(
            "select policy, n, sw, swr, sw2, sw2r, sw2r2, matches, sdr, sdr2 from policy_sums"
                + " where bucket = $1")
        .execute(Tuple.of(bucket))
        .map(PolicySumsRepository::sums);
  }

  /** Deletes a bucket and the day buckets matching {@code dayPattern}. */
  public Uni<Void> delete(String bucket, String dayPattern) {
    return pool.preparedQuery("delete from policy_sums where bucket = $1 or bucket like $2")
        .execute(Tuple.of(bucket, dayPattern))
        .replaceWithVoid();
  }

  private static Map<String, ValueSums> sums(Iterable<Row> rows) {
    Map<String, ValueSums> out = new HashMap<>();
    for (Row r : rows) {
      out.put(
          r.getString(0),
          new ValueSums(
              r.getLong(1),
              r.getDouble(2),
              r.getDouble(3),
              r.getDouble(4),
              r.getDouble(5),
              r.getDouble(6),
              r.getLong(7),
              r.getDouble(8),
              r.getDouble(9)));
    }
    return out;
  }
}
