package io.nextbest.eligibility.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The in-process copies of customers' recent sends ({@code nextbest.contacts.near-cache.*}). */
@ConfigMapping(prefix = "nextbest.contacts.near-cache")
public interface ContactNearCacheConfig {

  /** Most customers held; 0 holds none. */
  @WithDefault("20000")
  int maxEntries();

  /** Most bytes the held lists weigh. */
  @WithDefault("16M")
  MemorySize maxBytes();

  /** Longest time a copy is kept, whatever Redis says. */
  @WithDefault("30s")
  Duration maxAge();
}
