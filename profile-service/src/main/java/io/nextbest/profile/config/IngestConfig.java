package io.nextbest.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/**
 * How much ingest may hold before new batches wait: group transactions, the batches queued for
 * them, and the back-pressure thresholds behind the 503 "Ingest is behind".
 */
@ConfigMapping(prefix = "nextbest.ingest")
public interface IngestConfig {

  /** Most events one group transaction writes; the batches beyond it wait for the next. */
  @WithDefault("5000")
  @Min(1)
  int groupEvents();

  /**
   * Most valid events accepted and not yet answered (queued for a group transaction or in the one
   * running); a batch that would go beyond it is answered 503 with {@code Retry-After}. A batch
   * arriving while nothing is in flight is always taken, whatever its size.
   */
  @WithDefault("10000")
  @Min(1)
  int maxQueuedEvents();

  /**
   * Most request-body bytes of the batches in flight, counted like {@link #maxQueuedEvents()}: the
   * parsed events of a batch take a few times its JSON in the heap.
   */
  @WithDefault("8388608")
  @Min(1)
  long maxQueuedBytes();

  /** Events waiting in the outbox from which new batches are answered 503. */
  @WithDefault("50000")
  @Min(0)
  long maxBacklog();

  /** Share of the heap still in use after a collection from which new batches are answered 503. */
  @WithDefault("0.85")
  double maxHeapShare();

  /** How often the outbox backlog and the heap share behind the 503 are measured again. */
  @WithDefault("1s")
  String pressureInterval();
}
