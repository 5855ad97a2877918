package io.nextbest.content.rest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A site backend's signature of a customer id: hex HMAC-SHA256 of the id under the site key's
 * secret. The backend computes it where the customer is logged in and hands it to its frontend with
 * the id, e.g. {@code printf %s "$ID" | openssl dgst -sha256 -hmac "$SECRET"}.
 */
public final class CustomerSignature {
  private CustomerSignature() {}

  /** The raw HMAC-SHA256 of {@code customerId} under {@code secret}. */
  public static byte[] sign(String secret, String customerId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(customerId.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The signature as sent (64 hex digits), or null when it is not one. */
  static byte[] parse(String hex) {
    if (hex == null || hex.length() != 64) {
      return null;
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The hex signature a backend sends. */
  public static String hex(String secret, String customerId) {
    return HexFormat.of().formatHex(sign(secret, customerId));
  }
}
