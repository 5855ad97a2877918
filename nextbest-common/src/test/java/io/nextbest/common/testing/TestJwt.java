package io.nextbest.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A throw-away RSA key pair for one test JVM: the service under test verifies tokens with its
 * public half, tests sign tokens with roles using the private half, and the service's own service
 * token is one of them. RestAssured sends a marketer-and-admin token by default; a test asks for
 * another with {@code given().auth().oauth2(TestJwt.token(...))} or none with {@code
 * given().auth().none()}.
 *
 * <p>The keys live in system properties so the test class and the service (loaded by different
 * class loaders) see the same pair.
 */
public class TestJwt implements QuarkusTestResourceLifecycleManager {
  public static final String ISSUER = "nextbest";
  private static final String PRIVATE = "nextbest.test.jwt.private";
  private static final String PUBLIC = "nextbest.test.jwt.public";

  @Override
  public Map<String, String> start() {
    try {
      Path publicKey = Files.createTempFile("nextbest-test-jwt", ".pem");
      publicKey.toFile().deleteOnExit();
      Files.writeString(publicKey, publicPem());
      useByDefault("admin", "marketer");
      return Map.of(
          "mp.jwt.verify.publickey.location",
          publicKey.toString(),
          "mp.jwt.verify.issuer",
          ISSUER,
          "nextbest.auth.service-token",
          token("service"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {}

  /**
   * RestAssured's default authentication is a token with these roles from now on (a default
   * authentication, unlike a default request specification, leaves the port to the test runner).
   */
  public static void useByDefault(String... roles) {
    RestAssured.authentication = RestAssured.oauth2(token(roles));
  }

  /** A request specification that sends a token with these roles, to add more defaults to. */
  public static RequestSpecBuilder spec(String... roles) {
    return new RequestSpecBuilder().setAuth(RestAssured.oauth2(token(roles)));
  }

  /** A token valid for an hour with these roles. */
  public static String token(String... roles) {
    return tokenFor("test-" + String.join("-", roles), roles);
  }

  /** A token valid for an hour for this subject (the audit trail's author) with these roles. */
  public static String tokenFor(String subject, String... roles) {
    return sign(privateKey(), ISSUER, subject, roles, 3600);
  }

  /** The public key as PEM, for a service started outside Quarkus' test runner. */
  public static String publicPem() {
    keys();
    return System.getProperty(PUBLIC);
  }

  /** An RS256 JWT with {@code groups} = roles, expiring {@code ttlSeconds} from now. */
  public static String sign(
      PrivateKey key, String issuer, String subject, String[] roles, long ttlSeconds) {
    long now = Instant.now().getEpochSecond();
    return sign(key, issuer, subject, roles, now, now + ttlSeconds);
  }

  /** A token of this run's key with explicit issue and expiry times (epoch seconds). */
  public static String issued(long issuedAt, long expiresAt, String... roles) {
    return sign(privateKey(), ISSUER, "test-times", roles, issuedAt, expiresAt);
  }

  /** An RS256 JWT with {@code groups} = roles, issued and expiring at the given epoch seconds. */
  public static String sign(
      PrivateKey key,
      String issuer,
      String subject,
      String[] roles,
      long issuedAt,
      long expiresAt) {
    long now = issuedAt;
    long ttlSeconds = expiresAt - issuedAt;
    String groups =
        Arrays.stream(roles).map(r -> "\"" + r + "\"").collect(Collectors.joining(",", "[", "]"));
    String claims =
        "{\"iss\":\"%s\",\"sub\":\"%s\",\"upn\":\"%s\",\"groups\":%s,\"iat\":%d,\"exp\":%d,\"jti\":\"%s\"}"
            .formatted(issuer, subject, subject, groups, now, now + ttlSeconds, UUID.randomUUID());
    String signingInput =
        base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + base64Url(claims);
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput
          + "."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static PrivateKey privateKey() {
    keys();
    try {
      byte[] der = Base64.getDecoder().decode(System.getProperty(PRIVATE));
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void keys() {
    synchronized (System.getProperties()) {
      if (System.getProperty(PRIVATE) != null) {
        return;
      }
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        System.setProperty(
            PRIVATE, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        System.setProperty(
            PUBLIC,
            "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
