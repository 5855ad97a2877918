package io.nextbest.common.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Starts a consumer at the latest record of every partition it is given: for compacted artifacts
 * with one key per partition (the model snapshot, the campaign set), whose latest record is the
 * state in force, so a replica starting up reads one record, not the topic's uncompacted tail.
 * Channels name it with {@code consumer-rebalance-listener.name=}{@value #NAME}, a group of their
 * own per replica and no commits: every replica reads every artifact.
 */
@ApplicationScoped
@Identifier(LatestRecord.NAME)
public class LatestRecord implements KafkaConsumerRebalanceListener {
  public static final String NAME = "latest-record";

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
    for (TopicPartition p : partitions) {
      long end = ends.getOrDefault(p, 0L);
      consumer.seek(p, Math.max(starts.getOrDefault(p, 0L), end - 1));
    }
  }
}
