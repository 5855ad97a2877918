package io.nextbest.profile.service;

import io.nextbest.profile.config.IngestConfig;
import io.nextbest.profile.messaging.IngestLag;
import io.nextbest.profile.repository.OutboxRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Optional;

/**
 * Back-pressure for the HTTP ingest: when the service falls behind — more accepted events not yet
 * folded than {@code nextbest.ingest.max-lag} (the log's consumers' lag), more snapshots waiting in
 * the outbox to be published than {@code nextbest.ingest.max-backlog}, or the heap's live set after
 * the last collection above {@code nextbest.ingest.max-heap-share} of its maximum — new batches are
 * answered 503 with {@code Retry-After}, and accepted again once the fold and the relay have caught
 * up (the batches waiting for the log have their own limit, see {@link EventIntake}). Measured
 * every {@code nextbest.ingest.pressure-interval}, the outbox with a bounded count (at most
 * max-backlog + 1 rows are looked at).
 */
@ApplicationScoped
public class IngestPressure {
  private final OutboxRepository outbox;
  private final IngestLag lag;
  private volatile long maxLag;
  private volatile long maxBacklog;
  private final double maxHeapShare;
  private volatile long backlog;
  private volatile double heapShare;

  public IngestPressure(OutboxRepository outbox, IngestLag lag, IngestConfig config) {
    this.outbox = outbox;
    this.lag = lag;
    this.maxLag = config.maxLag();
    this.maxBacklog = config.maxBacklog();
    this.maxHeapShare = config.maxHeapShare();
  }

  /** Why new events must wait, or empty when they are welcome. */
  public Optional<String> overloaded() {
    long behind = lag.lag();
    if (behind >= maxLag) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "Ingest is behind: %,d accepted events wait to be folded (limit %,d,"
                  + " nextbest.ingest.max-lag); retry after the delay.",
              behind,
              maxLag));
    }
    if (backlog >= maxBacklog) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "Ingest is behind: %,d snapshots wait to be published (limit %,d,"
                  + " nextbest.ingest.max-backlog); retry after the delay.",
              backlog,
              maxBacklog));
    }
    if (heapShare > maxHeapShare) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "Ingest is behind: the heap holds %.0f%% of its maximum after collection (limit"
                  + " %.0f%%, nextbest.ingest.max-heap-share); retry after the delay.",
              100 * heapShare,
              100 * maxHeapShare));
    }
    return Optional.empty();
  }

  @Scheduled(
      every = "${nextbest.ingest.pressure-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  public Uni<Void> refresh() {
    heapShare = liveHeapShare();
    return lag.refresh()
        .replaceWithVoid()
        .onFailure()
        .recoverWithNull()
        .chain(() -> outbox.backlog(maxBacklog + 1))
        .invoke(waiting -> backlog = waiting)
        .replaceWithVoid()
        .onFailure()
        .recoverWithNull(); // an unreachable database answers 503 on its own
  }

  /**
   * The largest share of an old-generation pool's maximum still in use after its last collection.
   * Eden and survivor spaces do not count: a survivor space is often nearly full right after a
   * young collection, which says nothing about the live set.
   */
  static double liveHeapShare() {
    double share = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = pool.getCollectionUsage();
      if (pool.getType() == MemoryType.HEAP
          && holdsTheLiveSet(pool.getName())
          && afterGc != null
          && afterGc.getMax() > 0) {
        share = Math.max(share, (double) afterGc.getUsed() / afterGc.getMax());
      }
    }
    return share;
  }

  /** Whether a heap pool is where long-lived objects end up (not eden, not a survivor space). */
  static boolean holdsTheLiveSet(String poolName) {
    String name = poolName.toLowerCase(Locale.ROOT);
    return !name.contains("eden") && !name.contains("survivor");
  }

  /** Changes the lag limit (tests, or an operator through a config reload). */
  public void maxLag(long limit) {
    this.maxLag = limit;
  }

  /** Changes the backlog limit (tests, or an operator through a config reload). */
  public void maxBacklog(long limit) {
    this.maxBacklog = limit;
  }
}
