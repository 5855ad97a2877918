package io.nextbest.common.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Builds Kafka messages keyed by customer id, so one customer's records stay in order. */
public final class KeyedMessages {
  private KeyedMessages() {}

  /** A message for the emitter's default topic. */
  public static <T> Message<T> keyed(String key, T payload) {
    return Message.of(payload)
        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
  }

  /** A message for an explicit topic (used by the outbox relay, whose rows name their topic). */
  public static <T> Message<T> keyed(String topic, String key, T payload) {
    return Message.of(payload)
        .addMetadata(
            OutgoingKafkaRecordMetadata.<String>builder().withTopic(topic).withKey(key).build());
  }
}
