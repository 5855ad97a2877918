package io.nextbest.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * How much ingest may hold before new batches wait: the batches waiting for the event log, and the
 * back-pressure thresholds behind the 503 "Ingest is behind".
 */
@ConfigMapping(prefix = "nextbest.ingest")
public interface IngestConfig {

  /**
   * Most valid events accepted and not yet answered (being screened, or waiting for the event log's
   * acknowledgement); a batch that would go beyond it is answered 503 with {@code Retry-After}. A
   * batch arriving while nothing is in flight is always taken, whatever its size.
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

  /**
   * How long acceptance waits for the event log's acknowledgement of a batch before it answers 503
   * (the sender sends the batch again; event ids keep a second copy from counting).
   */
  @WithDefault("5s")
  Duration logTimeout();

  /**
   * Events accepted into the log and not folded yet (the ingest consumers' lag, summed over
   * partitions) from which new batches are answered 503.
   */
  @WithDefault("250000")
  @Min(0)
  long maxLag();

  /** Snapshots waiting in the outbox from which new batches are answered 503. */
  @WithDefault("50000")
  @Min(0)
  long maxBacklog();

  /** Share of the heap still in use after a collection from which new batches are answered 503. */
  @WithDefault("0.85")
  double maxHeapShare();

  /** How often the lag, the outbox backlog and the heap share behind the 503 are measured. */
  @WithDefault("1s")
  String pressureInterval();
}
