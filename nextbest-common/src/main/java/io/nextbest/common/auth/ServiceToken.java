package io.nextbest.common.auth;

import io.nextbest.common.config.AuthConfig;
import io.smallrye.config.SmallRyeConfig;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Sends this service's own JWT ({@code nextbest.auth.service-token}, role {@link Roles#SERVICE}) on
 * calls to the other services. Register it on a REST client with {@code @RegisterProvider}.
 */
public class ServiceToken implements ClientRequestFilter {
  private final Optional<String> token =
      ConfigProvider.getConfig()
          .unwrap(SmallRyeConfig.class)
          .getConfigMapping(AuthConfig.class)
          .serviceToken();

  @Override
  public void filter(ClientRequestContext request) {
    token.ifPresent(t -> request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + t));
  }
}
