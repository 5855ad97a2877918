package io.nextbest.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The console's settings ({@code nextbest.console.*}). */
@ConfigMapping(prefix = "nextbest.console")
public interface ConsoleConfig {

  /** The four services' base URLs. */
  Services services();

  /** How long a service may take to connect before its panel says it is down. */
  @WithDefault("1s")
  Duration connectTimeout();

  /** How long a service may take to answer before its panel says it is down. */
  @WithDefault("5s")
  Duration readTimeout();

  /** Marks the session and CSRF cookies Secure (set behind TLS). */
  @WithDefault("false")
  boolean secureCookies();

  /** Rows per page of a table. */
  @WithDefault("25")
  int pageSize();

  /** Base URLs, e.g. {@code http://127.0.0.1:8081}. */
  interface Services {
    /** profile-service. */
    String profile();

    /** eligibility-service. */
    String eligibility();

    /** decision-service. */
    String decision();

    /** content-service. */
    String content();
  }
}
