package io.nextbest.content.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.redis.RunToEnd;
import io.nextbest.common.rest.Problem;
import io.nextbest.content.ContentConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The frontend endpoints ({@code /api/v1/content/*}) are public: a browser or an app names its
 * publishable site key, and this filter
 *
 * <ul>
 *   <li>answers 401 without a known key;
 *   <li>answers CORS for the key's configured origins only (403 for any other browser origin) and
 *       the service's own origin, preflights included;
 *   <li>counts calls per key and second in Redis, shared by every replica, and answers 429 with
 *       {@code Retry-After} over the key's limit.
 * </ul>
 *
 * A Redis outage or a slow Redis (over {@value #COUNT_BUDGET_MS} ms) lets calls through: content is
 * never refused because the counter is unavailable.
 */
@ApplicationScoped
public class FrontendAccess {
  private static final Logger LOG = Logger.getLogger(FrontendAccess.class);
  static final String KEY_HEADER = "X-NextBest-Key";

  /**
   * Set by this filter for the resources (a client's own value is removed): the customer id the
   * call may act as, or absent for an anonymous visitor.
   */
  public static final String VERIFIED_HEADER = "X-NextBest-Verified-Customer";

  static final String SIGNATURE_PARAM = "sig";
  private static final String SITE = "nextbest.site-key";
  static final String SIGNATURE_HEADER = "X-NextBest-Customer-Signature";
  static final String KEY_PARAM = "key";
  static final long COUNT_BUDGET_MS = 20;
  private static final String COUNT =
      "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], 2) end"
          + " return n";

  /** The script's SHA-1, so each count sends 40 bytes instead of the script. */
  private static final String COUNT_SHA = sha1(COUNT);

  private final Map<String, ContentConfig.SiteKey> keys;
  private final Set<String> anyKeyOrigins = new HashSet<>();
  private final ReactiveRedisDataSource redis;
  private final ObjectMapper mapper;
  private final AtomicLong lastOutageLog = new AtomicLong();

  public FrontendAccess(ContentConfig config, ReactiveRedisDataSource redis, ObjectMapper mapper) {
    this.keys = config.siteKeys();
    this.keys.values().forEach(k -> anyKeyOrigins.addAll(k.origins()));
    this.redis = redis;
    this.mapper = mapper;
  }

  void install(@Observes Router router) {
    router.route("/api/v1/content/*").order(Integer.MIN_VALUE + 1).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    boolean crossOrigin = origin != null && !origin.equals(ownOrigin(ctx));
    if (ctx.request().method() == HttpMethod.OPTIONS) {
      preflight(ctx, origin, crossOrigin);
      return;
    }
    String key = ctx.request().getHeader(KEY_HEADER);
    if (key == null) {
      key = ctx.request().getParam(KEY_PARAM);
    }
    ContentConfig.SiteKey site = key == null ? null : keys.get(key);
    if (site == null) {
      refuse(
          ctx,
          401,
          "Site key required",
          key == null
              ? "Name your publishable site key in the " + KEY_HEADER + " header or ?key=."
              : "Site key '" + abbreviate(key) + "' is not known; use one issued for this site.",
          null);
      return;
    }
    ctx.request().headers().remove(VERIFIED_HEADER);
    ctx.put(SITE, site);
    String customer = ctx.request().getParam("customerId");
    if (customer != null && verified(site, customer, signature(ctx))) {
      ctx.request().headers().set(VERIFIED_HEADER, customer);
    }
    if (crossOrigin) {
      if (!site.origins().contains(origin)) {
        refuse(
            ctx,
            403,
            "Origin not allowed",
            "Origin "
                + abbreviate(origin)
                + " may not use this site key; add it to the key's origins.",
            null);
        return;
      }
      ctx.response()
          .putHeader("Access-Control-Allow-Origin", origin)
          .putHeader("Access-Control-Expose-Headers", "Retry-After")
          .putHeader("Vary", "Origin");
    }
    count(ctx, key, site.requestsPerSecond());
  }

  /**
   * The id a call of this request may act as for {@code customerId}: the customer's own when the
   * site key trusts unsigned ids or the request carries a valid signature of it, else the anonymous
   * visitor derived from it (the same one the content endpoint serves).
   */
  public static String actingAs(RoutingContext ctx, String customerId) {
    ContentConfig.SiteKey site = ctx.get(SITE);
    return site != null && verified(site, customerId, signature(ctx))
        ? customerId
        : anonymous(customerId);
  }

  /** An anonymous visitor's id, derived from the id it gave. */
  static String anonymous(String customerId) {
    try {
      byte[] hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(customerId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "anon-" + java.util.HexFormat.of().formatHex(hash, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String signature(RoutingContext ctx) {
    String sig = ctx.request().getHeader(SIGNATURE_HEADER);
    return sig != null ? sig : ctx.request().getParam(SIGNATURE_PARAM);
  }

  /** Whether the call may act as {@code customer}: a trusting key, or a valid signature. */
  static boolean verified(ContentConfig.SiteKey site, String customer, String signature) {
    if (site.trustUnsignedIds()) {
      return true;
    }
    if (signature == null || site.customerIdSecret().isEmpty()) {
      return false;
    }
    byte[] expected = CustomerSignature.sign(site.customerIdSecret().get(), customer);
    byte[] given = CustomerSignature.parse(signature);
    return given != null && java.security.MessageDigest.isEqual(expected, given);
  }

  private void preflight(RoutingContext ctx, String origin, boolean crossOrigin) {
    if (crossOrigin && !anyKeyOrigins.contains(origin)) {
      refuse(
          ctx,
          403,
          "Origin not allowed",
          "Origin " + abbreviate(origin) + " is not among the site keys' origins.",
          null);
      return;
    }
    var response = ctx.response().setStatusCode(204);
    if (origin != null) {
      response
          .putHeader("Access-Control-Allow-Origin", origin)
          .putHeader("Vary", "Origin")
          .putHeader("Access-Control-Allow-Methods", "GET, POST")
          .putHeader(
              "Access-Control-Allow-Headers",
              "Content-Type, " + KEY_HEADER + ", " + SIGNATURE_HEADER)
          .putHeader("Access-Control-Max-Age", "600");
    }
    response.end();
  }

  private void count(RoutingContext ctx, String key, int limit) {
    long now = System.currentTimeMillis();
    long second = now / 1000;
    Context vertx = Vertx.currentContext();
    String counter = "nextbest:rate:" + key + ":" + second;
    RunToEnd.started(
            redis
                .execute("EVALSHA", COUNT_SHA, "1", counter)
                .onFailure(f -> f.getMessage() != null && f.getMessage().startsWith("NOSCRIPT"))
                // the first call, or Redis lost its scripts (restart, SCRIPT FLUSH): EVAL loads it
                .recoverWithUni(() -> redis.execute("EVAL", COUNT, "1", counter)))
        .ifNoItem()
        .after(Duration.ofMillis(COUNT_BUDGET_MS))
        .fail()
        .subscribe()
        .with(
            n ->
                vertx.runOnContext(
                    v -> {
                      if (n != null && n.toLong() > limit) {
                        long retry = Math.max(1, second + 1 - System.currentTimeMillis() / 1000);
                        refuse(
                            ctx,
                            429,
                            "Too many requests",
                            "Site key '"
                                + key
                                + "' may make "
                                + limit
                                + " calls per second; retry after "
                                + retry
                                + " s.",
                            String.valueOf(retry));
                      } else {
                        ctx.next();
                      }
                    }),
            failure -> {
              long last = lastOutageLog.get();
              if (now - last > 10_000 && lastOutageLog.compareAndSet(last, now)) {
                LOG.warnf("site-key rate limits not counted (Redis): %s", failure.toString());
              }
              vertx.runOnContext(v -> ctx.next());
            });
  }

  private void refuse(
      RoutingContext ctx, int status, String title, String detail, String retryAfter) {
    var response =
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE);
    if (retryAfter != null) {
      response.putHeader("Retry-After", retryAfter);
    }
    try {
      response.end(
          mapper.writeValueAsString(Problem.of(status, title, detail, ctx.request().path())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String ownOrigin(RoutingContext ctx) {
    return ctx.request().scheme() + "://" + ctx.request().getHeader("Host");
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  private static String sha1(String script) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-1")
                  .digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every Java platform", e);
    }
  }
}
