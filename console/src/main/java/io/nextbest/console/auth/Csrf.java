package io.nextbest.console.auth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Cross-site request forgery protection by double submit: every browser gets a random token in an
 * HttpOnly, SameSite=Strict cookie ({@link #COOKIE}); every form carries the same value in a hidden
 * field ({@link #FIELD}), written into the page by the server. A POST whose field does not equal
 * the cookie is refused with a 403, so a form posted from another site (which can neither read the
 * cookie nor the page) fails even where a browser ignores SameSite. Templates read the value as
 * {@code inject:csrf.token}.
 */
@RequestScoped
@Named("csrf")
public class Csrf {
  public static final String COOKIE = "nextbest_csrf";
  public static final String FIELD = "csrf";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The browser's cookie value, or null when it sent none. */
  private String presented;

  /** The value pages carry: the browser's, or a new one set on the response. */
  private String token;

  /** Called for every request by {@link CsrfFilter}. */
  void begin(String cookie) {
    presented = cookie != null && cookie.length() == 43 ? cookie : null;
    token = presented != null ? presented : fresh();
  }

  /** The token to write into forms. */
  public String token() {
    return token;
  }

  /** True when this response must set the cookie (the browser had none). */
  boolean isNew() {
    return presented == null && token != null;
  }

  /** Refuses a form whose field does not match the browser's cookie. */
  public void verify(String field) {
    if (presented == null
        || field == null
        || !MessageDigest.isEqual(
            presented.getBytes(StandardCharsets.US_ASCII),
            field.getBytes(StandardCharsets.US_ASCII))) {
      throw new CsrfRefusedException();
    }
  }

  private static String fresh() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
