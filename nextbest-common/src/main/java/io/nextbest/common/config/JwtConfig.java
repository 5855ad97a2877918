package io.nextbest.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What a bearer token may claim beyond what the JWT layer checks ({@code nextbest.jwt.*}). */
@ConfigMapping(prefix = "nextbest.jwt")
public interface JwtConfig {

  /** Longest life of a token from issue to expiry, in seconds (30 days). */
  @WithDefault("2592000")
  long maxTtl();
}
