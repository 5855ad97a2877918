package io.nextbest.common.auth;

import io.nextbest.common.config.JwtConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Refuses a bearer token issued in the future (beyond the clock skew) or living longer than {@code
 * nextbest.jwt.max-ttl} from issue to expiry: a leaked long-lived or pre-dated token is not a
 * credential. Signature, issuer and expiry are checked before, by the JWT layer.
 */
@ApplicationScoped
public class TokenTimes implements SecurityIdentityAugmentor {
  private final long maxTtlSeconds;
  private final long skewSeconds;

  /** The limits of {@code nextbest.jwt.*} and the JWT layer's own clock skew. */
  @Inject
  public TokenTimes(JwtConfig config, JWTAuthContextInfo jwt) {
    this(config.maxTtl(), jwt.getClockSkew());
  }

  TokenTimes(long maxTtlSeconds, long skewSeconds) {
    this.maxTtlSeconds = maxTtlSeconds;
    this.skewSeconds = skewSeconds;
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (!(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      return Uni.createFrom().item(identity);
    }
    String problem = problem(jwt.getIssuedAtTime(), jwt.getExpirationTime(), now());
    return problem == null
        ? Uni.createFrom().item(identity)
        : Uni.createFrom().failure(new AuthenticationFailedException(new Refused(problem)));
  }

  /**
   * Why a token was refused for its times, as the cause of the authentication failure; the message
   * is fit for the caller.
   */
  public static final class Refused extends SecurityException {
    Refused(String why) {
      super(why);
    }
  }

  /** Why a token with these times (epoch seconds, 0 when absent) is refused, or null. */
  String problem(long issuedAt, long expiresAt, long now) {
    if (issuedAt <= 0) {
      return "the token has no issue time (iat)";
    }
    if (issuedAt > now + skewSeconds) {
      return "the token is issued in the future";
    }
    if (expiresAt - issuedAt > maxTtlSeconds) {
      return "the token lives longer than " + maxTtlSeconds + " s";
    }
    return null;
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }
}
