package io.nextbest.common.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The in-process copies of cached profiles ({@code nextbest.profile.near-cache.*}). */
@ConfigMapping(prefix = "nextbest.profile.near-cache")
public interface ProfileNearCacheConfig {

  /** Most profiles held; 0 holds none. */
  @WithDefault("20000")
  int maxEntries();

  /** Most bytes the held profiles weigh, parsed snapshots included. */
  @WithDefault("32M")
  MemorySize maxBytes();

  /** Longest time a copy is kept, whatever Redis says. */
  @WithDefault("30s")
  Duration maxAge();
}
