package io.nextbest.console.auth;

import io.nextbest.console.config.ConsoleConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The console's cookies, written as {@code Set-Cookie} values: all HttpOnly (no script reads them)
 * and SameSite=Strict (no other site's page sends them), Secure behind TLS.
 */
@ApplicationScoped
public class Cookies {
  /** Holds the signed-in user's token (read by smallrye-jwt: {@code mp.jwt.token.cookie}). */
  public static final String SESSION = "nextbest_session";

  private final ConsoleConfig config;

  public Cookies(ConsoleConfig config) {
    this.config = config;
  }

  /**
   * A {@code Set-Cookie} value; the value must be cookie-safe (a JWT or base64url). A negative age
   * makes a browser-session cookie, 0 deletes it.
   */
  public String header(String name, String value, long maxAgeSeconds) {
    StringBuilder b = new StringBuilder(name).append('=').append(value).append("; Path=/");
    if (maxAgeSeconds >= 0) {
      b.append("; Max-Age=").append(maxAgeSeconds);
    }
    b.append("; HttpOnly; SameSite=Strict");
    if (config.secureCookies()) {
      b.append("; Secure");
    }
    return b.toString();
  }
}
