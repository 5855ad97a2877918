package io.nextbest.common.sql;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Locale;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A job that runs on one replica at a time, across every process sharing the database: it holds a
 * transaction-scoped PostgreSQL advisory lock ({@code pg_try_advisory_xact_lock}) on a connection
 * of its own for as long as it runs. The lock is never waited for: a replica that finds it held
 * runs its fallback instead (skips, or answers 409). Ending the transaction releases it whether the
 * job succeeded or failed, and PostgreSQL drops it with the session if the process dies, so a crash
 * never leaves it taken. The job itself works on other connections; the lock's connection only
 * stays open (idle in a read-only transaction) until the job ends.
 *
 * <p>Every key lives in {@link Key}, one place for all services, so no two jobs share one by
 * accident. The one other advisory lock, profile-service's erase lock ({@code EraseLock}, key
 * {@code "nberase"}), is waited for rather than tried, so it keeps its own statements.
 * eligibility-service's scheduled sweeps need no lock: each schedule slot is claimed once by a row
 * of {@code campaign_sweeps}. Refreshes of what a replica holds in memory (catalogs, models,
 * caches) run on every replica.
 *
 * <p>Made by {@link ClusterLocks}, each lock counts its turns in {@code
 * nextbest_cluster_jobs_total} ({@code job}: the key in lower case; {@code outcome}: {@code ran},
 * or {@code elsewhere} when another replica held it), so an operator sees which replica runs each
 * job.
 */
public final class ClusterLock {
  private static final Logger LOG = Logger.getLogger(ClusterLock.class);
  static final String TRY_LOCK = "select pg_try_advisory_xact_lock($1)";

  /** The advisory lock keys of every job that must not run on two replicas at once. */
  public enum Key {
    /** profile-service: a relay pass of the outbox (per-customer order of published messages). */
    OUTBOX_RELAY(0x6e62_6f75_7462_6f78L),
    /** profile-service: the CLV refit (nightly with the segment fit that follows, or on demand). */
    CLV_REFIT(0x6e62_636c_7672_6566L),
    /** profile-service: the K-means fit of the marketing segments. */
    SEGMENT_FIT(0x6e62_7365_6766_6974L),
    /** profile-service: a re-evaluation pass over every customer's segments. */
    SEGMENT_REEVALUATION(0x6e62_7365_6772_6576L),
    /** decision-service: a learning step (taken in the step's own transaction). */
    LEARNING(0x6e65_7874_6265L),
    /** decision-service: the automatic promotion check and the mode switch it makes. */
    PROMOTION(0x6e62_7072_6f6d_6f74L);

    private final long id;

    Key(long id) {
      this.id = id;
    }

    /** The 64-bit advisory lock key. */
    public long id() {
      return id;
    }
  }

  private final Pool pool;
  private final Key key;
  private final Counter ran;
  private final Counter elsewhere;

  /**
   * @param pool the service's reactive pool (one connection is held while the job runs)
   * @param key the job's lock
   * @param registry where the lock counts its turns
   */
  public ClusterLock(Pool pool, Key key, MeterRegistry registry) {
    this.pool = pool;
    this.key = key;
    this.ran = turns(registry, key, "ran");
    this.elsewhere = turns(registry, key, "elsewhere");
  }

  private static Counter turns(MeterRegistry registry, Key key, String outcome) {
    return Counter.builder("nextbest.cluster.jobs")
        .description("turns of a job that runs on one replica at a time, by who held its lock")
        .tag("job", key.name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .tag("outcome", outcome)
        .register(registry);
  }

  /** The job's lock. */
  public Key key() {
    return key;
  }

  /**
   * Runs {@code job} while holding the lock, or {@code elsewhere} at once when another replica (or
   * another caller in this process) holds it. The lock is released when the job's {@link Uni} ends,
   * with an item or a failure.
   */
  public <T> Uni<T> runAlone(
      Supplier<? extends Uni<? extends T>> job, Supplier<? extends Uni<? extends T>> elsewhere) {
    return pool.withTransaction(
        conn ->
            tryLock(conn, key)
                .chain(
                    taken -> {
                      (taken ? ran : this.elsewhere).increment();
                      return taken
                          ? Uni.createFrom().<T>deferred(job::get)
                          : Uni.createFrom().<T>deferred(elsewhere::get);
                    }));
  }

  /**
   * Runs {@code job} while holding the lock; when another replica holds it the run is skipped
   * (logged at debug, {@code what} names the job).
   */
  public Uni<Void> runOrSkip(String what, Supplier<Uni<Void>> job) {
    return this.<Void>runAlone(
        job,
        () -> {
          LOG.debugf("%s skipped: another replica holds lock %s", what, key);
          return Uni.createFrom().voidItem();
        });
  }

  /**
   * Takes {@code key} for the caller's transaction unless another session holds it; answers whether
   * it was taken. For a job whose work is that transaction.
   */
  public static Uni<Boolean> tryLock(SqlConnection conn, Key key) {
    return conn.preparedQuery(TRY_LOCK)
        .execute(Tuple.of(key.id()))
        .map(rows -> Boolean.TRUE.equals(rows.iterator().next().getBoolean(0)));
  }
}
