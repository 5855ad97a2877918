package io.nextbest.eligibility.cli;

import io.nextbest.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Streaming throughput: publishes profile snapshots on {@code nextbest.profiles.v1} as fast as the
 * broker takes them and counts this run's moments on {@code nextbest.eligibility.v1} until every
 * snapshot has yielded one; prints moments per second from the first send to the last moment.
 *
 * <p>{@code MomentStreamBenchmark [snapshots] [bootstrap]} (default 100000, 127.0.0.1:9092)
 */
public final class MomentStreamBenchmark {
  private MomentStreamBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    String bootstrap = args.length > 1 ? args[1] : "127.0.0.1:9092";
    String run = "bench-m-" + Long.toString(System.nanoTime(), 36) + "-";

    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, run + "watch");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    try (var consumer = new KafkaConsumer<String, String>(c)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.ELIGIBILITY, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(Topics.ELIGIBILITY, p.partition()))
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
          String id = run + i;
          producer.send(
              new ProducerRecord<>(
                  Topics.PROFILES,
                  id,
                  ("{\"id\":\"%s:1\",\"type\":\"profile.snapshot\",\"customerId\":\"%s\","
                          + "\"occurredAt\":\"2026-11-01T10:00:00Z\",\"version\":1,"
                          + "\"attributes\":{\"country\":\"GB\"},\"features\":{\"purchaseCount\":%d},"
                          + "\"predictions\":{\"churnRisk\":0.2},\"consents\":{},\"segments\":[]}")
                      .formatted(id, id, i % 7)));
        }
      }
      double sent = (System.nanoTime() - start) / 1e9;
      System.err.printf(Locale.ROOT, "sent %,d snapshots in %.1f s%n", n, sent);
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
          System.err.printf(Locale.ROOT, "\r%,d / %,d moments", seen, n);
          lastProgress = System.nanoTime();
        }
      }
      double total = (System.nanoTime() - start) / 1e9;
      System.err.println();
      System.out.printf(
          Locale.ROOT,
          "{\"snapshots\":%d,\"moments\":%d,\"seconds\":%.2f,\"momentsPerSecond\":%.0f}%n",
          n,
          seen,
          total,
          seen / total);
    }
  }
}
