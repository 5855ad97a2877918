package io.nextbest.common.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test access to the real broker: send keyed JSON records and watch topics from "now" on. */
public final class KafkaTopics {
  private KafkaTopics() {}

  public static String bootstrap() {
    String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
    return env == null || env.isBlank() ? "127.0.0.1:9092" : env;
  }

  /** Sends one record and waits for the broker's acknowledgement. */
  public static void send(String topic, String key, String value) {
    sendAll(topic, List.of(new java.util.AbstractMap.SimpleEntry<>(key, value)));
  }

  /**
   * Sends records (key, value; a null value is a tombstone) in one go, so they tend to arrive in
   * one poll, and waits for the broker's acknowledgement of each.
   */
  public static void sendAll(String topic, List<Map.Entry<String, String>> records) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (var producer = new KafkaProducer<String, String>(p)) {
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
      for (var r : records) {
        acks.add(producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue())));
      }
      for (var ack : acks) {
        ack.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not send to " + topic, e);
    }
  }

  /** Starts watching a topic at its current end; only records sent afterwards are seen. */
  public static Watcher watch(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-watcher-" + UUID.randomUUID());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    var consumer = new KafkaConsumer<String, String>(p);
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(i -> new TopicPartition(topic, i.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolve the end offsets now, before anything is sent
    return new Watcher(consumer);
  }

  /** A consumer positioned at a topic's end when it was opened. */
  public static final class Watcher implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    Watcher(KafkaConsumer<String, String> consumer) {
      this.consumer = consumer;
    }

    /**
     * Polls until {@code count} records match or the timeout passes; returns all matching records
     * seen so far (possibly fewer than asked, for the caller to assert on).
     */
    public List<ConsumerRecord<String, String>> await(
        Predicate<ConsumerRecord<String, String>> match, int count, Duration timeout) {
      Instant end = Instant.now().plus(timeout);
      while (matching(match).size() < count && Instant.now().isBefore(end)) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
      }
      return matching(match);
    }

    /** Keeps polling for the whole duration, then returns every matching record. */
    public List<ConsumerRecord<String, String>> collectFor(
        Predicate<ConsumerRecord<String, String>> match, Duration duration) {
      Instant end = Instant.now().plus(duration);
      while (Instant.now().isBefore(end)) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
      }
      return matching(match);
    }

    private List<ConsumerRecord<String, String>> matching(
        Predicate<ConsumerRecord<String, String>> match) {
      return seen.stream().filter(match).toList();
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
