package io.nextbest.eligibility.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The campaign set published for edges ({@code nextbest.edge.*}). */
@ConfigMapping(prefix = "nextbest.edge")
public interface EdgeConfig {

  /**
   * How often the campaign set is read from PostgreSQL and published again when nothing changed
   * through this replica, so that an edge can tell a catalogue that did not change from an owner
   * that stopped publishing, and a change made through another replica is never undone for longer.
   */
  @WithDefault("10s")
  Duration republish();
}
