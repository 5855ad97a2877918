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
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
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
  private static final String MADE = "nextbest.test.jwt.made";
  private static final String PUBLIC = "nextbest.test.jwt.public";
  private static final String CURRENT = "nextbest.test.jwt";
  private static final String PREVIOUS = "nextbest.test.jwt.previous";
  private static final String CURRENT_KID = "test-current";
  private static final String PREVIOUS_KID = "test-previous";

  @Override
  public Map<String, String> start() {
    try {
      // the key set of a rollover: tokens of this run's key and of a previous key are accepted
      Path publicKey = Files.createTempFile("nextbest-test-jwt", ".json");
      publicKey.toFile().deleteOnExit();
      Files.writeString(
          publicKey,
          "{\"keys\":["
              + jwk(publicKey(CURRENT), CURRENT_KID)
              + ","
              + jwk(publicKey(PREVIOUS), PREVIOUS_KID)
              + "]}");
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

  /**
   * A token valid for an hour signed with the previous key of a rollover (still in the services'
   * key set), naming it in {@code kid}.
   */
  public static String tokenOfPreviousKey(String... roles) {
    long now = Instant.now().getEpochSecond();
    return sign(
        privateKey(PREVIOUS), PREVIOUS_KID, ISSUER, "test-previous-key", roles, now, now + 3600);
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
    return sign(key, CURRENT_KID, issuer, subject, roles, issuedAt, expiresAt);
  }

  /**
   * A token of this run's key with exactly these claims (a JSON object), for tokens the other
   * helpers cannot make, e.g. one without a subject.
   */
  public static String withClaims(String claimsJson) {
    return signed(privateKey(), CURRENT_KID, claimsJson);
  }

  /** The same, naming the signing key {@code kid} in the header. */
  public static String sign(
      PrivateKey key,
      String kid,
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
    return signed(key, kid, claims);
  }

  private static String signed(PrivateKey key, String kid, String claims) {
    String signingInput =
        base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}")
            + "."
            + base64Url(claims);
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
    return privateKey(CURRENT);
  }

  private static PrivateKey privateKey(String pair) {
    keys();
    try {
      byte[] der = Base64.getDecoder().decode(System.getProperty(pair + ".private"));
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAPublicKey publicKey(String pair) {
    keys();
    try {
      byte[] der = Base64.getDecoder().decode(System.getProperty(pair + ".public-der"));
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JSON Web Key of an RSA public key. */
  static String jwk(RSAPublicKey key, String kid) {
    return "{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"%s\",\"e\":\"%s\",\"n\":\"%s\"}"
        .formatted(kid, unsigned(key.getPublicExponent()), unsigned(key.getModulus()));
  }

  private static String unsigned(java.math.BigInteger v) {
    byte[] bytes = v.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void keys() {
    synchronized (System.getProperties()) {
      if (System.getProperty(MADE) != null) {
        return;
      }
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        for (String pair : new String[] {CURRENT, PREVIOUS}) {
          KeyPair keys = generator.generateKeyPair();
          System.setProperty(
              pair + ".private",
              Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()));
          System.setProperty(
              pair + ".public-der",
              Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
          if (pair.equals(CURRENT)) {
            System.setProperty(
                PUBLIC,
                "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
          }
        }
        System.setProperty(MADE, "true");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
