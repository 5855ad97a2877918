package io.nextbest.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** What one outbox relay pass may take and what a record may weigh. */
@ConfigMapping(prefix = "nextbest.outbox")
public interface OutboxConfig {

  /** Largest record (key, value and overhead in bytes) sent; larger rows are parked. */
  @WithDefault("1000000")
  @Min(1)
  int maxRecordBytes();

  /**
   * Most rows one relay pass takes from the outbox and keeps in flight to Kafka (at most {@value
   * #MAX_RELAY_BATCH}, the buffer of the emitter in front of the producer).
   */
  @WithDefault("2000")
  @Min(1)
  @Max(MAX_RELAY_BATCH)
  int relayBatch();

  /**
   * Most payload bytes (UTF-8) one relay pass takes; the first row of a pass is always taken, so a
   * pass holds at most this plus one record.
   */
  @WithDefault("4194304")
  @Min(1)
  long relayBatchBytes();

  /**
   * How often a relay pass runs when no write has started one (a committed ingest starts one at
   * once).
   */
  @WithDefault("1s")
  String sweepInterval();

  /** The largest {@link #relayBatch()}: the emitter buffers this many messages at most. */
  int MAX_RELAY_BATCH = 10_000;
}
