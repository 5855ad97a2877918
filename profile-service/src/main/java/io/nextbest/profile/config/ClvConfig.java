package io.nextbest.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/** The population CLV fit ({@code nextbest.clv.*}). */
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

  /** When the nightly fit runs (Quarkus cron: seconds, minutes, hours, day, month, weekday). */
  @WithDefault("0 0 3 * * ?")
  String refitCron();

  /** How often each replica looks for a fit another replica stored. */
  @WithDefault("60s")
  String reloadInterval();
}
