package io.nextbest.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Segment sizes kept over time ({@code nextbest.segment-history.*}). */
@ConfigMapping(prefix = "nextbest.segment-history")
public interface SegmentHistoryConfig {

  /**
   * How often each replica records every segment's size as today's (one count over the membership
   * table per recording; a day keeps its last recording).
   */
  @WithDefault("15m")
  String every();

  /** Days of sizes kept; older days are pruned at each recording. */
  @WithDefault("400")
  @Min(1)
  @Max(3660)
  int days();
}
