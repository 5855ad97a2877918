package io.nextbest.eligibility.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The do-not-contact list in memory ({@code nextbest.do-not-contact.*}). */
@ConfigMapping(prefix = "nextbest.do-not-contact")
public interface DoNotContactConfig {

  /**
   * Most rows held in memory; a longer list is read from PostgreSQL per customer, one query per
   * batch.
   */
  @WithDefault("100000")
  int maxInMemory();
}
