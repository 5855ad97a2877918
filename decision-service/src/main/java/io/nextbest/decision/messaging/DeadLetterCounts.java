package io.nextbest.decision.messaging;

import io.nextbest.common.messaging.LazyAdmin;
import io.nextbest.common.rest.BackingServiceUnavailableException;
import io.nextbest.decision.ReportsConfig;
import io.nextbest.events.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Records held on the dead-letter topics ({@code <topic>.dlq} of the suite's six topics): per
 * topic, the sum over its partitions of end minus beginning offset, i.e. what is still retained
 * there. Read with the admin client within {@link #TIMEOUT}; a broker that does not answer is a 503
 * (the console shows it on its one panel), never a stalled request.
 */
@ApplicationScoped
public class DeadLetterCounts {
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** The dead-letter topics of every consumer in the suite. */
  public static final List<String> TOPICS =
      List.of(
              Topics.EVENTS,
              Topics.PROFILES,
              Topics.ELIGIBILITY,
              Topics.DECISIONS,
              Topics.OUTCOMES,
              Topics.PRIVACY)
          .stream()
          .map(t -> t + ".dlq")
          .toList();

  private final LazyAdmin admin;
  private final Duration maxAge;
  private volatile Read last;

  /** Counts as read at a moment ({@link System#nanoTime()}). */
  private record Read(long at, List<Count> counts) {}

  public DeadLetterCounts(
      @Identifier("default-kafka-broker") Map<String, Object> kafka, ReportsConfig reports) {
    this.maxAge = reports.deadLetterMaxAge();
    Map<String, Object> config = new HashMap<>();
    kafka.forEach(
        (key, value) -> {
          if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
            config.put(key, value);
          }
        });
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.get("bootstrap.servers"));
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "nextbest-dead-letter-counts");
    this.admin = new LazyAdmin(config);
  }

  /**
   * One dead-letter topic.
   *
   * @param topic its name
   * @param records records retained on it (0 when the topic does not exist)
   * @param exists whether the topic exists
   */
  public record Count(String topic, long records, boolean exists) {}

  /** The counts, read again once the last read is older than the configured age. */
  public Uni<List<Count>> counts() {
    Read r = last;
    if (r != null && System.nanoTime() - r.at() < maxAge.toNanos()) {
      return Uni.createFrom().item(r.counts());
    }
    return Uni.createFrom()
        .item(this::read)
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .invoke(counts -> last = new Read(System.nanoTime(), counts));
  }

  private List<Count> read() {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try {
      Map<String, KafkaFuture<TopicDescription>> described =
          admin.get().describeTopics(TOPICS).topicNameValues();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<String, Boolean> exists = new HashMap<>();
      for (String topic : TOPICS) {
        try {
          TopicDescription d = described.get(topic).get(left(deadline), TimeUnit.NANOSECONDS);
          exists.put(topic, true);
          d.partitions()
              .forEach(
                  p -> {
                    earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
                    latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                  });
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
            throw e;
          }
          exists.put(topic, false);
        }
      }
      Map<String, Long> records = new HashMap<>();
      if (!earliest.isEmpty()) {
        ListOffsetsResult low = admin.get().listOffsets(earliest);
        ListOffsetsResult high = admin.get().listOffsets(latest);
        for (TopicPartition tp : earliest.keySet()) {
          long from = low.partitionResult(tp).get(left(deadline), TimeUnit.NANOSECONDS).offset();
          long to = high.partitionResult(tp).get(left(deadline), TimeUnit.NANOSECONDS).offset();
          records.merge(tp.topic(), Math.max(0, to - from), Long::sum);
        }
      }
      List<Count> out = new ArrayList<>();
      for (String topic : TOPICS) {
        out.add(new Count(topic, records.getOrDefault(topic, 0L), exists.get(topic)));
      }
      return out;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw new BackingServiceUnavailableException("Kafka", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackingServiceUnavailableException("Kafka", e);
    }
  }

  private static long left(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  @PreDestroy
  void close() {
    admin.close();
  }
}
