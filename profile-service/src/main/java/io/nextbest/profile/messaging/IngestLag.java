package io.nextbest.profile.messaging;

import io.nextbest.common.health.KafkaBrokerCheck;
import io.nextbest.common.messaging.LazyAdmin;
import io.nextbest.common.rest.BackingServiceUnavailableException;
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
  private final LazyAdmin admin;
  private volatile long lag;

  public IngestLag(
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "mp.messaging.incoming.ingest.group.id") String group) {
    this.group = group;
    this.admin = new LazyAdmin(KafkaBrokerCheck.adminConfig(kafka, "profile-service-ingest-lag"));
  }

  /**
   * One partition of the log.
   *
   * @param partition its number
   * @param end the offset the next record will take
   * @param folded the group's committed offset there (the log's start when it has none)
   */
  public record Partition(int partition, long end, long folded) {}

  /**
   * A reading of the lag.
   *
   * @param behind records after the committed offsets, summed over partitions
   * @param partitions each partition's end and committed offset
   */
  public record Reading(long behind, List<Partition> partitions) {}

  /** Records behind at the last {@link #refresh()}. */
  public long lag() {
    return lag;
  }

  /**
   * Reads the lag again, on a worker thread (the admin client blocks); a broker that does not
   * answer within 2 s fails it with {@link BackingServiceUnavailableException} (503).
   */
  public Uni<Reading> refresh() {
    return Uni.createFrom()
        .item(this::read)
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .invoke(r -> lag = r.behind());
  }

  private Reading read() {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .get()
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(left(deadline), TimeUnit.NANOSECONDS);
      var described =
          admin
              .get()
              .describeTopics(List.of(Topics.EVENTS))
              .allTopicNames()
              .get(left(deadline), TimeUnit.NANOSECONDS)
              .get(Topics.EVENTS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      described
          .partitions()
          .forEach(
              p -> {
                TopicPartition tp = new TopicPartition(Topics.EVENTS, p.partition());
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
              });
      var ends = admin.get().listOffsets(latest).all().get(left(deadline), TimeUnit.NANOSECONDS);
      var starts =
          admin.get().listOffsets(earliest).all().get(left(deadline), TimeUnit.NANOSECONDS);
      long behind = 0;
      List<Partition> partitions = new ArrayList<>();
      for (var e : ends.entrySet()) {
        long start = starts.get(e.getKey()).offset();
        OffsetAndMetadata at = committed.get(e.getKey());
        // a partition the group never committed on starts where the log starts (retention)
        long folded = Math.max(start, at == null ? start : at.offset());
        long end = e.getValue().offset();
        behind += Math.max(0, end - folded);
        partitions.add(new Partition(e.getKey().partition(), end, folded));
      }
      partitions.sort(java.util.Comparator.comparingInt(Partition::partition));
      return new Reading(behind, partitions);
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
