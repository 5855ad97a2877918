package io.nextbest.content;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** content-service settings ({@code nextbest.content.*}). */
@ConfigMapping(prefix = "nextbest.content")
public interface ContentConfig {

  /** Locale used when neither the request nor a fallback chain finds a translation. */
  @WithDefault("en")
  String defaultLocale();

  /** How often every replica reloads templates, locales and variant statistics. */
  @WithDefault("2s")
  Duration refreshEvery();

  /** How often the co-purchase graph is reloaded. */
  @WithDefault("30s")
  Duration recsRefreshEvery();

  /** Highest order value a frontend conversion may report; a higher one is refused (400). */
  @WithDefault("100000")
  double maxConversionValue();

  /** Recommendations handed to templates as {@code recs}. */
  @WithDefault("8")
  int recommendations();

  /**
   * Decisions whose customer this replica remembers (the latest served; older ones are looked up in
   * the impressions table), so that a frontend event is accepted only from the customer the
   * decision's content was shown to.
   */
  @WithDefault("50000")
  int servedDecisions();

  /**
   * Outcomes (impressions, clicks, conversions, dismissals) waiting for the broker at most; beyond
   * it an outcome is refused at once (an event call answers 503, an impression is logged as not
   * published).
   */
  @WithDefault("4096")
  int outcomesInFlight();

  /** In-process decisioning from the artifacts the owners publish. */
  Edge edge();

  /** In-process decisioning ({@code nextbest.content.edge.*}). */
  interface Edge {
    /**
     * Oldest model snapshot decided with: decision-service publishes its model again every {@code
     * edge.republish} (10 s), so an older one means the owner stopped publishing, and the content
     * call falls back to the HTTP decision.
     */
    @WithDefault("60s")
    Duration maxModelAge();

    /**
     * Oldest campaign set decided with: eligibility-service publishes it again every {@code
     * edge.republish} (10 s), so an older one means the owner stopped publishing, and the content
     * call falls back to the HTTP decision.
     */
    @WithDefault("60s")
    Duration maxCampaignsAge();
  }

  /**
   * Publishable keys of the web and mobile frontends: every call to {@code /api/v1/content/*} names
   * one ({@code X-NextBest-Key} header or {@code key} query parameter).
   */
  Map<String, SiteKey> siteKeys();

  /** One frontend's publishable key. */
  interface SiteKey {
    /**
     * Browser origins that may call with this key (CORS), e.g. {@code https://shop.example.com};
     * the content service's own origin always may. Apps send no Origin and are not limited by it.
     */
    List<String> origins();

    /** Calls per second with this key, counted in Redis across every replica. */
    @WithDefault("200")
    int requestsPerSecond();

    /**
     * The site backend's secret for signing customer ids: a call's {@code customerId} counts as
     * that customer only with {@code sig} = hex HMAC-SHA256 of the id under this secret. Without a
     * valid signature the caller is an anonymous visitor.
     */
    java.util.Optional<String> customerIdSecret();

    /**
     * Trust customer ids without a signature (a demo or an app behind its own log-in only): anyone
     * holding the public key then sees that customer's personalised content.
     */
    @WithDefault("false")
    boolean trustUnsignedIds();
  }
}
