package io.nextbest.console.auth;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.qute.TemplateData;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The person signed in: their name, their roles as the services read them (the token's {@code
 * groups}), and the token the console forwards to the services on their behalf.
 */
@RequestScoped
@TemplateData
public class CurrentUser {
  public static final String ADMIN = "admin";
  public static final String MARKETER = "marketer";

  private final SecurityIdentity identity;

  public CurrentUser(SecurityIdentity identity) {
    this.identity = identity;
  }

  public String name() {
    return identity.isAnonymous() ? "" : identity.getPrincipal().getName();
  }

  /** May erase and export customers, switch the policy mode, refit models. */
  public boolean admin() {
    return identity.hasRole(ADMIN);
  }

  /** May work with campaigns, templates, segments and reports (admins may too, as in the APIs). */
  public boolean marketer() {
    return identity.hasRole(MARKETER) || admin();
  }

  /** The bearer token for the services: the OIDC access token, else the pasted one. */
  public String token() {
    AccessTokenCredential access = identity.getCredential(AccessTokenCredential.class);
    if (access != null) {
      return access.getToken();
    }
    return identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getRawToken() : null;
  }
}
