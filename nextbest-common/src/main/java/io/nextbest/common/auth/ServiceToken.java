package io.nextbest.common.auth;

import io.nextbest.common.config.AuthConfig;
import io.quarkus.arc.Unremovable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;

/**
 * Sends this service's own JWT ({@code nextbest.auth.service-token}, role {@link Roles#SERVICE}) on
 * calls to the other services. Register it on a REST client with {@code @RegisterProvider}: the
 * client takes this bean (Quarkus registers a {@code @ConfigMapping} only where it is injected).
 */
@Singleton
@Unremovable
public class ServiceToken implements ClientRequestFilter {
  private final Optional<String> token;

  /** The token of the configuration. */
  @Inject
  public ServiceToken(AuthConfig config) {
    this.token = config.serviceToken();
  }

  @Override
  public void filter(ClientRequestContext request) {
    token.ifPresent(t -> request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + t));
  }
}
