package io.nextbest.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The restart of a service whose messaging channel failed ({@code nextbest.messaging.*}). */
@ConfigMapping(prefix = "nextbest.messaging")
public interface MessagingConfig {

  /** Exit for a restart when messaging liveness stays DOWN; tests turn it off. */
  @WithDefault("true")
  boolean watchdog();

  /** How long messaging liveness may stay DOWN before the service exits for a restart. */
  @WithDefault("30s")
  Duration exitAfter();

  /** How often messaging liveness is looked at (the schedule reads this key). */
  @WithDefault("5s")
  Duration watchInterval();
}
