package io.nextbest.tools.decision;

import io.nextbest.events.Topics;
import io.nextbest.tools.common.StreamThroughput;
import java.util.Locale;

/**
 * Streaming throughput of decisioning: publishes moments with five auto campaigns each on {@code
 * nextbest.eligibility.v1} and counts this run's decisions on {@code nextbest.decisions.v1}; prints
 * decisions per second and per minute from the first send to the last decision.
 *
 * <p>{@code DecisionStreamBenchmark [moments] [bootstrap]} (default 500000, 127.0.0.1:9092)
 */
public final class DecisionStreamBenchmark {
  private DecisionStreamBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    String bootstrap = args.length > 1 ? args[1] : "127.0.0.1:9092";
    String run = "bench-d-" + Long.toString(System.nanoTime(), 36) + "-";
    var result =
        StreamThroughput.measure(
            bootstrap,
            Topics.ELIGIBILITY,
            Topics.DECISIONS,
            n,
            run,
            i ->
                ("{\"id\":\"m:%s\",\"type\":\"eligibility.moment\",\"customerId\":\"%s\","
                        + "\"occurredAt\":\"2026-11-01T10:00:00Z\",\"cause\":\"e%d\",\"campaigns\":["
                        + "{\"campaignId\":\"spring\",\"channel\":\"email\"},"
                        + "{\"campaignId\":\"winback\",\"channel\":\"email\"},"
                        + "{\"campaignId\":\"cross-sell\",\"channel\":\"push\"},"
                        + "{\"campaignId\":\"loyalty\",\"channel\":\"web\",\"placement\":\"home-hero\"},"
                        + "{\"campaignId\":\"vip\",\"channel\":\"email\",\"control\":%b}]}")
                    .formatted(run + i, run + (i % 50_000), i, i % 10 == 0),
            "decisions");
    System.out.printf(
        Locale.ROOT,
        "{\"moments\":%d,\"decisions\":%d,\"seconds\":%.2f,\"decisionsPerSecond\":%.0f,"
            + "\"decisionsPerMinute\":%.0f}%n",
        result.sent(),
        result.received(),
        result.seconds(),
        result.perSecond(),
        result.perSecond() * 60);
  }
}
