package io.nextbest.eligibility.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Scheduled campaigns' sweeps ({@code nextbest.sweep.*}). */
@ConfigMapping(prefix = "nextbest.sweep")
public interface SweepConfig {

  /** Most moments one sweep emits per second. */
  int maxMomentsPerSecond();

  /** How often each replica looks for schedule slots that are due (and claims them). */
  @WithDefault("60s")
  String interval();
}
