package io.nextbest.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits every service puts on incoming requests ({@code nextbest.http.*}). */
@ConfigMapping(prefix = "nextbest.http")
public interface HttpConfig {

  /**
   * Longest URL (path and query) a request may have; a longer one is answered 414 with a problem
   * document. Below {@code quarkus.http.limits.max-initial-line-length}, so the application sees
   * such requests and answers them itself.
   */
  @WithDefault("8192")
  int maxUrlLength();
}
