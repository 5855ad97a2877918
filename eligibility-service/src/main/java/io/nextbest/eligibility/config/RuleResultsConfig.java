package io.nextbest.eligibility.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The memo of profile-only rule results per customer ({@code nextbest.rule-results.*}). */
@ConfigMapping(prefix = "nextbest.rule-results")
public interface RuleResultsConfig {

  /** Most bytes the memos take; past it the whole memo starts over. */
  @WithDefault("32M")
  MemorySize maxBytes();
}
