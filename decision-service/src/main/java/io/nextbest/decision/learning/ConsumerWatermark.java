package io.nextbest.decision.learning;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * How far the consumers that bring rewards in have come: a wall-clock moment such that every
 * purchase ({@code nextbest.events.v1}) and outcome ({@code nextbest.outcomes.v1}) produced before
 * it has been stored and committed by its consumer group. A decision is learned only once this
 * moment has passed its horizon (and, for simulated decisions, once it has passed the moment the
 * decision that moved the stream clock was logged), so a consumer that lags behind the decision log
 * — a backlog, a restart, a simulation running days in seconds — delays learning and never loses a
 * conversion from a reward.
 *
 * <p>Each reading takes, per channel and on its polling thread, the group's committed offsets, then
 * the moment, then the end offsets. When the committed offsets reach the end offsets read at a
 * moment, everything produced before that moment has been consumed. Readings not reached yet wait
 * in a bounded queue. The group's committed offsets cover every replica's partitions. Until the
 * first reading succeeds (the broker is down, say) the watermark is unknown and nothing is learned.
 */
@ApplicationScoped
public class ConsumerWatermark {
  private static final Logger LOG = Logger.getLogger(ConsumerWatermark.class);

  /** The channels whose records become rewards. */
  static final List<String> CHANNELS = List.of("purchases", "outcomes");

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final KafkaClientService kafka;
  private final Map<String, Progress> progress = new HashMap<>();

  public ConsumerWatermark(KafkaClientService kafka) {
    this.kafka = kafka;
    CHANNELS.forEach(c -> progress.put(c, new Progress(64)));
  }

  /**
   * Takes a reading of every channel; answers the moment all of them have passed, or null while
   * unknown. A channel that cannot be read keeps the moment it had passed before.
   */
  public Uni<Instant> advance() {
    Uni<Instant> passed = Uni.createFrom().item(Instant.MAX);
    for (String channel : CHANNELS) {
      passed =
          passed.chain(
              sofar ->
                  read(channel)
                      .map(reading -> progress.get(channel).observe(reading))
                      .onFailure()
                      .recoverWithItem(
                          f -> {
                            LOG.debugf("consumer progress of %s not read: %s", channel, f);
                            return progress.get(channel).passed();
                          })
                      .map(p -> p == null || sofar == null ? null : min(sofar, p)));
    }
    return passed.map(p -> Instant.MAX.equals(p) ? null : p);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private Uni<Reading> read(String channel) {
    var consumer = kafka.<Object, Object>getConsumer(channel);
    if (consumer == null) {
      return Uni.createFrom().failure(new IllegalStateException("no consumer for " + channel));
    }
    Function<Consumer<Object, Object>, Reading> reading = ConsumerWatermark::read;
    return consumer.runOnPollingThread(reading);
  }

  /** Committed offsets, then the moment, then the end offsets of the subscribed topics. */
  static Reading read(Consumer<?, ?> consumer) {
    Set<TopicPartition> partitions = new HashSet<>();
    for (String topic : consumer.subscription()) {
      for (PartitionInfo p : consumer.partitionsFor(topic, TIMEOUT)) {
        partitions.add(new TopicPartition(p.topic(), p.partition()));
      }
    }
    Map<TopicPartition, Long> committed = new HashMap<>();
    List<TopicPartition> neverCommitted = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(partitions, TIMEOUT);
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata o = offsets.get(tp);
      if (o == null) {
        neverCommitted.add(tp);
      } else {
        committed.put(tp, o.offset());
      }
    }
    if (!neverCommitted.isEmpty()) {
      // a partition the group never committed on is consumed up to its first retained record
      committed.putAll(consumer.beginningOffsets(neverCommitted, TIMEOUT));
    }
    Instant at = Instant.now();
    return new Reading(committed, at, consumer.endOffsets(partitions, TIMEOUT));
  }

  /** One channel's reading: the group's committed offsets, and the end offsets at {@code at}. */
  record Reading(Map<TopicPartition, Long> committed, Instant at, Map<TopicPartition, Long> ends) {}

  /** One channel's progress: the moment it has passed and the readings it has not reached yet. */
  static final class Progress {
    private record Mark(Instant at, Map<TopicPartition, Long> ends) {}

    private final int capacity;
    private final Deque<Mark> pending = new ArrayDeque<>();
    private Instant passed;

    Progress(int capacity) {
      this.capacity = capacity;
    }

    synchronized Instant passed() {
      return passed;
    }

    /** Folds a reading in; answers the moment this channel has passed. */
    synchronized Instant observe(Reading r) {
      while (!pending.isEmpty() && reached(r.committed(), pending.peekFirst().ends().entrySet())) {
        pass(pending.pollFirst().at());
      }
      if (reached(r.committed(), r.ends().entrySet())) {
        pending.clear();
        pass(r.at());
      } else {
        if (pending.size() == capacity) {
          pending.pollLast(); // the newest waiting reading gives way to a newer one
        }
        pending.addLast(new Mark(r.at(), Map.copyOf(r.ends())));
      }
      return passed;
    }

    private void pass(Instant at) {
      if (passed == null || at.isAfter(passed)) {
        passed = at;
      }
    }

    private static boolean reached(
        Map<TopicPartition, Long> committed, Collection<Map.Entry<TopicPartition, Long>> ends) {
      for (var end : ends) {
        Long c = committed.get(end.getKey());
        if (c == null || c < end.getValue()) {
          return false;
        }
      }
      return true;
    }
  }
}
