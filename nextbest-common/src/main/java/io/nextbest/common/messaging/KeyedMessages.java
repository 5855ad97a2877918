package io.nextbest.common.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Builds Kafka messages keyed by customer id, so one customer's records stay in order. */
public final class KeyedMessages {
  private KeyedMessages() {}

  /** A message for the emitter's default topic. */
  public static <T> Message<T> keyed(String key, T payload) {
    return Message.of(payload)
        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
  }

  /**
   * A message for an explicit topic, with headers (the outbox relay: its rows name their topic).
   */
  public static <T> Message<T> keyed(String topic, String key, T payload, Headers headers) {
    return Message.of(payload)
        .addMetadata(
            OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic)
                .withKey(key)
                .withHeaders(headers)
                .build());
  }
}
