package io.nextbest.tools.eligibility;

import io.nextbest.events.Topics;
import io.nextbest.tools.common.StreamThroughput;
import java.util.Locale;

/**
 * Streaming throughput: publishes profile snapshots on {@code nextbest.profiles.v1} as fast as the
 * broker takes them and counts this run's moments on {@code nextbest.eligibility.v1} until every
 * snapshot has yielded one; prints moments per second from the first send to the last moment.
 *
 * <p>{@code MomentStreamBenchmark [snapshots] [bootstrap]} (default 100000, 127.0.0.1:9092)
 */
public final class MomentStreamBenchmark {
  private MomentStreamBenchmark() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    String bootstrap = args.length > 1 ? args[1] : "127.0.0.1:9092";
    String run = "bench-m-" + Long.toString(System.nanoTime(), 36) + "-";
    var result =
        StreamThroughput.measure(
            bootstrap,
            Topics.PROFILES,
            Topics.ELIGIBILITY,
            n,
            run,
            i ->
                ("{\"id\":\"%s:1\",\"type\":\"profile.snapshot\",\"customerId\":\"%s\","
                        + "\"occurredAt\":\"2026-11-01T10:00:00Z\",\"version\":1,"
                        + "\"attributes\":{\"country\":\"GB\"},\"features\":{\"purchaseCount\":%d},"
                        + "\"predictions\":{\"churnRisk\":0.2},\"consents\":{},\"segments\":[]}")
                    .formatted(run + i, run + i, i % 7),
            "moments");
    System.out.printf(
        Locale.ROOT,
        "{\"snapshots\":%d,\"moments\":%d,\"seconds\":%.2f,\"momentsPerSecond\":%.0f}%n",
        result.sent(),
        result.received(),
        result.seconds(),
        result.perSecond());
  }
}
