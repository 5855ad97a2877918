package io.nextbest.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The one rule for bad messages, checked on a running consumer: a record it can never process, sent
 * to its topic, arrives on the topic's {@code .dlq} as it was sent, with the reason and the origin
 * in headers, while the consumer goes on.
 */
public final class DeadLetterCheck {
  private DeadLetterCheck() {}

  /**
   * Sends {@code payload} (containing {@code marker}, so other test runs' dead letters are told
   * apart) to {@code topic} and waits for its dead letter; returns the reason header.
   */
  public static String sendAndAwait(String topic, String key, String payload, String marker) {
    try (var dead = KafkaTopics.watch(topic + ".dlq")) {
      KafkaTopics.send(topic, key, payload);
      var parked = dead.await(r -> r.value().contains(marker), 1, Duration.ofSeconds(30));
      assertThat(parked).as("dead letter of %s on %s.dlq", marker, topic).hasSize(1);
      ConsumerRecord<String, String> r = parked.get(0);
      assertThat(r.value()).isEqualTo(payload);
      assertThat(header(r, "dead-letter-topic")).isEqualTo(topic);
      String reason = header(r, "dead-letter-reason");
      assertThat(reason).isNotBlank();
      return reason;
    }
  }

  /** An unreadable record carrying a fresh marker. */
  public static String unreadable(String marker) {
    return "{\"broken\": \"" + marker + "\", ";
  }

  /** A purchase event cut short: its type reads as purchase (no header), then it fails to read. */
  public static String unreadablePurchase(String marker) {
    return "{\"type\":\"purchase\",\"id\":\"" + marker + "\",";
  }

  /** A fresh marker. */
  public static String marker() {
    return "poison-" + UUID.randomUUID();
  }

  private static String header(ConsumerRecord<String, String> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
