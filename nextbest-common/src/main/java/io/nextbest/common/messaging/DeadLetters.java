package io.nextbest.common.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * A record a consumer cannot process, for its topic's {@code .dlq}: the original payload with the
 * reason and the origin in headers ({@code dead-letter-reason}, {@code dead-letter-topic}), the
 * same names SmallRye's dead-letter strategy uses, so every dead letter reads alike.
 */
public final class DeadLetters {
  public static final String REASON = "dead-letter-reason";
  public static final String TOPIC = "dead-letter-topic";

  private DeadLetters() {}

  /** The dead letter of {@code payload} from {@code topic}, keyed as it was (key may be null). */
  public static Message<String> of(String topic, String key, String payload, String reason) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON, bytes(reason == null ? "unknown" : reason));
    headers.add(TOPIC, bytes(topic));
    var metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withTopic(topic + ".dlq")
            .withHeaders(headers);
    if (key != null) {
      metadata.withKey(key);
    }
    return Message.of(payload).addMetadata(metadata.build());
  }

  private static byte[] bytes(String s) {
    String bounded = s.length() > 1000 ? s.substring(0, 1000) : s;
    return bounded.getBytes(StandardCharsets.UTF_8);
  }
}
