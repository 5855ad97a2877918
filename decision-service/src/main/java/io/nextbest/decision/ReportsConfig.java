package io.nextbest.decision;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What off-policy evaluations may take ({@code nextbest.reports.*}). */
@ConfigMapping(prefix = "nextbest.reports")
public interface ReportsConfig {

  /** Evaluations running at once; another one is answered 503 with {@code Retry-After}. */
  @WithDefault("2")
  int maxConcurrentEvaluations();

  /** Decisions an evaluation reads and scores at a time (about 10 KB each in memory). */
  @WithDefault("1000")
  int evaluationPageSize();

  /**
   * How long the dead-letter counts are reused before Kafka is asked again (every Overview page
   * reads them; 0 asks every time).
   */
  @WithDefault("5s")
  java.time.Duration deadLetterMaxAge();
}
