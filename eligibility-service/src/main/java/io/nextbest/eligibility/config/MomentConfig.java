package io.nextbest.eligibility.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Realtime moments from profile changes and events ({@code nextbest.moments.*}). */
@ConfigMapping(prefix = "nextbest.moments")
public interface MomentConfig {

  /**
   * The oldest cause that still makes a realtime moment: an event that happened longer ago, or a
   * profile change whose folded events did (an import of last year's orders, a replay, a simulation
   * running on its own clock), changes the profile but is not decided now.
   */
  @WithDefault("PT1H")
  Duration maxAge();
}
