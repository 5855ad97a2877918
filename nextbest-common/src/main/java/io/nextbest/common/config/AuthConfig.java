package io.nextbest.common.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** This service's own credentials for calls to the other services ({@code nextbest.auth.*}). */
@ConfigMapping(prefix = "nextbest.auth")
public interface AuthConfig {

  /**
   * This service's JWT (role {@code service}), sent on calls that read campaigns, settings and
   * segments elsewhere; unset or empty sends none.
   */
  Optional<String> serviceToken();
}
