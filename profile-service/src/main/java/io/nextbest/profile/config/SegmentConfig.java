package io.nextbest.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/** The K-means fit of the marketing segments ({@code nextbest.segments.*}). */
@ConfigMapping(prefix = "nextbest.segments")
public interface SegmentConfig {

  /**
   * Most purchasers the K-means runs see: the fit reads every purchaser in pages and keeps a
   * uniform sample of this many (every one when there are fewer), a row of six numbers each.
   */
  @WithDefault("200000")
  @Min(100)
  int maxPoints();

  /**
   * Most rule segments: each is compiled and held in memory, and evaluated on every profile change;
   * creating one more is a 409.
   */
  @WithDefault("50")
  @Min(0)
  int maxRules();

  /** How often each replica reloads the rule segments and the cluster model from PostgreSQL. */
  @WithDefault("30s")
  String refreshInterval();
}
