package io.nextbest.common.auth;

import io.nextbest.common.config.AuthConfig;
import io.quarkus.arc.Unremovable;
import io.smallrye.config.SmallRyeConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Sends this service's own JWT ({@code nextbest.auth.service-token}, role {@link Roles#SERVICE}) on
 * calls to the other services. Register it on a REST client with {@code @RegisterProvider}: the
 * client takes this bean, and its injection point is what makes {@link AuthConfig} known to the
 * configuration even where nothing else reads it.
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

  /** For a REST client that creates its providers itself. */
  public ServiceToken() {
    this(
        ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(AuthConfig.class));
  }

  @Override
  public void filter(ClientRequestContext request) {
    token.ifPresent(t -> request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + t));
  }
}
