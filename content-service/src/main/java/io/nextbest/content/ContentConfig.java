package io.nextbest.content;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

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

  /** Recommendations handed to templates as {@code recs}. */
  @WithDefault("8")
  int recommendations();
}
