package io.nextbest.profile.messaging;

import io.nextbest.common.health.KafkaBrokerCheck;
import io.nextbest.common.rest.BackingServiceUnavailableException;
import io.nextbest.events.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.KafkaAdminClient;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How far the log's consumers ({@link EventLogConsumer}) are behind: the records of {@code
 * nextbest.events.v1} after the ingest group's committed offsets, summed over partitions. Read with
 * the admin client, so it counts the whole group, every replica's partitions.
 */
@ApplicationScoped
public class IngestLag {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final String group;
  private final Map<String, Object> adminConfig;
  private volatile Admin admin;
  private volatile long lag;

  public IngestLag(
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "mp.messaging.incoming.ingest.group.id") String group) {
    this.group = group;
    this.adminConfig = KafkaBrokerCheck.adminConfig(kafka, "profile-service-ingest-lag");
  }

  /** Records behind at the last {@link #refresh()}. */
  public long lag() {
    return lag;
  }

  /**
   * Reads the lag again, on a worker thread (the admin client blocks); a broker that does not
   * answer within 2 s fails it with {@link BackingServiceUnavailableException} (503).
   */
  public Uni<Long> refresh() {
    return Uni.createFrom()
        .item(this::read)
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .invoke(l -> lag = l);
  }

  private long read() {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin()
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(left(deadline), TimeUnit.NANOSECONDS);
      var described =
          admin()
              .describeTopics(List.of(Topics.EVENTS))
              .allTopicNames()
              .get(left(deadline), TimeUnit.NANOSECONDS)
              .get(Topics.EVENTS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      described
          .partitions()
          .forEach(
              p ->
                  latest.put(
                      new TopicPartition(Topics.EVENTS, p.partition()), OffsetSpec.latest()));
      var ends = admin().listOffsets(latest).all().get(left(deadline), TimeUnit.NANOSECONDS);
      long behind = 0;
      for (var e : ends.entrySet()) {
        OffsetAndMetadata at = committed.get(e.getKey());
        behind += Math.max(0, e.getValue().offset() - (at == null ? 0 : at.offset()));
      }
      return behind;
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

  private Admin admin() {
    Admin a = admin;
    if (a == null) {
      synchronized (this) {
        if (admin == null) {
          admin = KafkaAdminClient.create(adminConfig);
        }
        a = admin;
      }
    }
    return a;
  }

  @PreDestroy
  void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(1));
    }
  }
}
