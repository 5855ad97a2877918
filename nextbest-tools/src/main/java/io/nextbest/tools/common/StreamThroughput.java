package io.nextbest.tools.common;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End-to-end streaming throughput of a service: publishes {@code n} records on its input topic as
 * fast as the broker takes them (keys {@code run + i}) and counts this run's records on its output
 * topic until each input has yielded one; reports records per second from the first send to the
 * last output, with a progress line on stderr.
 */
public final class StreamThroughput {
  private StreamThroughput() {}

  /**
   * What came out.
   *
   * @param sent records published
   * @param received records of this run seen on the output topic
   * @param seconds from the first send to the last output
   */
  public record Result(int sent, long received, double seconds) {
    public double perSecond() {
      return received / seconds;
    }
  }

  public static Result measure(
      String bootstrap,
      String inTopic,
      String outTopic,
      int n,
      String run,
      IntFunction<String> payload,
      String unit) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, run + "watch");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    try (var consumer = new KafkaConsumer<String, String>(c)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(outTopic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(outTopic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);

      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      p.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
      p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      long start = System.nanoTime();
      try (var producer = new KafkaProducer<String, String>(p)) {
        for (int i = 0; i < n; i++) {
          producer.send(new ProducerRecord<>(inTopic, run + i, payload.apply(i)));
        }
      }
      System.err.printf(
          Locale.ROOT, "sent %,d records in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
      long seen = 0;
      long lastProgress = System.nanoTime();
      long idleSince = System.nanoTime();
      while (seen < n) {
        var records = consumer.poll(Duration.ofMillis(500));
        for (var r : records) {
          if (r.key() != null && r.key().startsWith(run)) {
            seen++;
          }
        }
        if (!records.isEmpty()) {
          idleSince = System.nanoTime();
        } else if (System.nanoTime() - idleSince > 60_000_000_000L) {
          break; // nothing for a minute: report what arrived
        }
        if (System.nanoTime() - lastProgress > 2_000_000_000L) {
          System.err.printf(Locale.ROOT, "\r%,d / %,d %s", seen, n, unit);
          lastProgress = System.nanoTime();
        }
      }
      System.err.println();
      return new Result(n, seen, (System.nanoTime() - start) / 1e9);
    }
  }
}
