package io.nextbest.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/** The population CLV fit ({@code nextbest.clv.*}; the nightly schedule is {@code refit-cron}). */
@ConfigMapping(prefix = "nextbest.clv")
public interface ClvConfig {

  /**
   * Most customers the BG/NBD and Gamma-Gamma likelihoods are evaluated on: the fit reads every
   * purchaser in pages and keeps a uniform sample of this many (every one when there are fewer), 36
   * bytes each.
   */
  @WithDefault("500000")
  @Min(100)
  int maxFitCustomers();
}
