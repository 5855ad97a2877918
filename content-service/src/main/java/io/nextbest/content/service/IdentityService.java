package io.nextbest.content.service;

import io.nextbest.common.rest.BackingServiceUnavailableException;
import io.nextbest.content.client.ProfileClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * A visitor who identifies: the anonymous id the SDK kept joins the customer in profile-service
 * ({@code POST /api/v1/profiles/{id}/aliases}), so the visitor's history and later events under
 * that id land on the customer.
 */
@ApplicationScoped
public class IdentityService {
  private static final Logger LOG = Logger.getLogger(IdentityService.class);

  private final ProfileClient profiles;

  public IdentityService(@RestClient ProfileClient profiles) {
    this.profiles = profiles;
  }

  /**
   * Merges {@code anonymousId} into {@code customerId}, whom the caller has proven to be. Fails
   * with 409 when profile-service refuses the merge and 503 when it cannot be reached.
   */
  public Uni<Void> merge(String customerId, String anonymousId) {
    return profiles
        .merge(customerId, new ProfileClient.AliasRequest(anonymousId))
        .onFailure(WebApplicationException.class)
        .recoverWithItem(f -> ((WebApplicationException) f).getResponse())
        .onFailure()
        .transform(f -> new BackingServiceUnavailableException("profile-service", f))
        .map(
            r -> {
              int status = r.getStatus();
              if (status < 300) {
                return null;
              }
              throw refused(status, customerId, anonymousId);
            });
  }

  private static RuntimeException refused(int status, String customerId, String anonymousId) {
    return switch (status) {
      case 400 ->
          new WebApplicationException(
              "'"
                  + anonymousId
                  + "' cannot join this customer: it is merged into another customer already,"
                  + " or the customer id is itself merged into another",
              409);
      case 403 -> {
        // profile-service answers 403 for an identified alias and for a token without the scope
        LOG.warnf(
            "profile-service refused to merge %s into %s (403): the alias names a person, or this"
                + " service's token lacks the identity:merge scope",
            anonymousId, customerId);
        yield new WebApplicationException(
            "'" + anonymousId + "' was not merged: only an admin merges an identified customer",
            409);
      }
      case 409 ->
          new WebApplicationException(
              "The customer or the anonymous id was erased and takes no merge for a day", 409);
      default -> {
        LOG.errorf(
            "profile-service answered %d to merging %s into %s (is NEXTBEST_SERVICE_TOKEN set?)",
            status, anonymousId, customerId);
        yield new BackingServiceUnavailableException("profile-service", null);
      }
    };
  }
}
