package io.nextbest.profile.segments;

import io.nextbest.common.sql.ClusterLock;
import io.nextbest.common.sql.ClusterLocks;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.profile.domain.Customer;
import io.nextbest.profile.repository.CustomerRepository;
import io.nextbest.profile.service.ProfileCache;
import io.nextbest.profile.service.ProfileChanges;
import io.nextbest.profile.service.Snapshots;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Re-evaluates every customer's segments after the segments themselves changed (a rule added,
 * changed or removed; a new cluster fit). Customers are walked in id order, a page per transaction
 * with the page's rows locked (the order ingest locks in too, so no deadlock); a customer whose
 * memberships change gets a new profile version, snapshot and segment events.
 *
 * <p>A pass holds the lock {@link ClusterLock.Key#SEGMENT_REEVALUATION} from its first customer to
 * its last, so one replica re-evaluates at a time. A replica whose request finds the lock taken
 * does not drop it: it tries again every {@link #BUSY_RETRY_MS} ms and makes its own pass once the
 * other one ended, since that one may have started before this replica's change of segments.
 */
@ApplicationScoped
public class SegmentReevaluation {
  private static final Logger LOG = Logger.getLogger(SegmentReevaluation.class);
  static final int PAGE = 500;

  /** How long a requested pass waits before trying again while another replica runs one. */
  static final long BUSY_RETRY_MS = 1_000;

  private final Snapshots snapshots;
  private final SegmentCatalog catalog;
  private final ProfileChanges changes;
  private final AtomicBoolean again = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private final Vertx vertx;
  private final ProfileCache cache;
  private final CustomerRepository customers;
  private final ClusterLock lock;
  private volatile Progress progress = Progress.IDLE;
  // the cluster model the last complete pass evaluated everyone with
  private volatile Long settledClusterVersion;

  /**
   * How far the pass that runs has come.
   *
   * @param running a pass runs or is queued
   * @param evaluated customers seen by the running pass
   * @param total customers when it started
   * @param lastCustomerId the last customer seen, in id order (null before the first page)
   * @param clusterModelVersion the cluster model it evaluates with (null: none)
   */
  public record Progress(
      boolean running,
      long evaluated,
      long total,
      String lastCustomerId,
      Long clusterModelVersion) {
    static final Progress IDLE = new Progress(false, 0, 0, null, null);
  }

  public SegmentReevaluation(
      CustomerRepository customers,
      Snapshots snapshots,
      SegmentCatalog catalog,
      ProfileChanges changes,
      ProfileCache cache,
      Vertx vertx,
      ClusterLocks locks) {
    this.lock = locks.of(ClusterLock.Key.SEGMENT_REEVALUATION);
    this.customers = customers;
    this.cache = cache;
    this.snapshots = snapshots;
    this.catalog = catalog;
    this.changes = changes;
    this.vertx = vertx;
  }

  /**
   * Starts a pass over all customers in the background; a request during a pass makes another pass
   * follow it, so the last change of segments is always fully applied.
   */
  public void requestAll() {
    again.set(true);
    if (running.compareAndSet(false, true)) {
      start();
    }
  }

  /** Each pass runs on a context of its own, never inside the session of the caller. */
  private void start() {
    var context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
    VertxContextSafetyToggle.setContextSafe(context, true);
    context.runOnContext(v -> loop());
  }

  /** True while a pass runs or is queued. */
  public boolean busy() {
    return running.get();
  }

  /** The running pass's progress; {@link Progress#running()} false when none runs. */
  public Progress progress() {
    Progress p = progress;
    return running.get() ? p : Progress.IDLE;
  }

  /**
   * Whether the cluster segments' members are still those of an older cluster model: a pass with
   * the current one runs and has not seen everyone yet.
   */
  public boolean clustersCatchingUp(Long currentClusterVersion) {
    return running.get()
        && currentClusterVersion != null
        && !currentClusterVersion.equals(settledClusterVersion);
  }

  private void loop() {
    again.set(false);
    AtomicLong changed = new AtomicLong();
    long started = System.nanoTime();
    Long version = catalog.clusters() == null ? null : catalog.clusters().version();
    lock.<Boolean>runAlone(
            () ->
                customers
                    .countAll()
                    .invoke(total -> progress = new Progress(true, 0, total, null, version))
                    .chain(() -> pass(null, changed))
                    .invoke(() -> settledClusterVersion = version)
                    .replaceWith(true),
            () -> Uni.createFrom().item(false))
        .subscribe()
        .with(
            ran -> {
              if (ran) {
                finish(changed.get(), started, null);
              } else {
                LOG.debugf(
                    "segment re-evaluation waits: another replica holds lock %s", lock.key());
                again.set(true);
                vertx.setTimer(BUSY_RETRY_MS, id -> start());
              }
            },
            failure -> finish(changed.get(), started, failure));
  }

  private void finish(long changed, long started, Throwable failure) {
    if (failure != null) {
      LOG.warnf("segment re-evaluation stopped: %s", failure.toString());
    } else {
      LOG.infof(
          "segments re-evaluated: %d customers changed membership in %d ms",
          changed, (System.nanoTime() - started) / 1_000_000);
    }
    if (again.get()) {
      start();
    } else {
      running.set(false);
      if (again.get() && running.compareAndSet(false, true)) {
        start();
      }
    }
  }

  /** One pass from {@code after}; returns when every customer has been seen. */
  public Uni<Void> pass(String after, AtomicLong changed) {
    List<ProfileSnapshot> moved = new java.util.ArrayList<>();
    return Panache.withTransaction(
            () ->
                customers
                    .lockPageAfter(after, PAGE)
                    .call(
                        rows ->
                            Multi.createFrom()
                                .iterable(rows)
                                .onItem()
                                .transformToUniAndConcatenate(c -> reevaluate(c, moved))
                                .collect()
                                .last()))
        .call(
            rows -> {
              changed.addAndGet(moved.size());
              Progress p = progress;
              if (!rows.isEmpty()) {
                progress =
                    new Progress(
                        true,
                        p.evaluated() + rows.size(),
                        Math.max(p.total(), p.evaluated() + rows.size()),
                        rows.get(rows.size() - 1).customerId,
                        p.clusterModelVersion());
              }
              return cache.refresh(moved);
            })
        .chain(
            rows ->
                rows.size() < PAGE
                    ? Uni.createFrom().voidItem()
                    : pass(rows.get(rows.size() - 1).customerId, changed));
  }

  private Uni<Void> reevaluate(Customer c, List<ProfileSnapshot> moved) {
    ProfileSnapshot now = snapshots.of(c);
    List<String> next = catalog.membership(now);
    if (next.equals(now.segments())) {
      return Uni.createFrom().voidItem();
    }
    c.version++;
    c.updatedAt = Instant.now();
    return changes.snapshotOf(c).invoke(moved::add).replaceWithVoid();
  }
}
