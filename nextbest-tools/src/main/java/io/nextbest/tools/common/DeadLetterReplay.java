package io.nextbest.tools.common;

import io.nextbest.common.messaging.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bin/nextbest dlq replay TOPIC}: sends what waits on {@code TOPIC.dlq} back to the topic it
 * came from (its {@code dead-letter-topic} header), for records parked by a failure since fixed.
 * Idempotently: the replay's own consumer group commits what it has sent, so a second run replays
 * only what arrived on the dead-letter topic since, and every consumer deduplicates by record id,
 * so a record replayed twice after a crash between sending and committing still counts once. {@code
 * bin/nextbest dlq list} shows how many records wait on each topic's {@code .dlq}.
 */
public final class DeadLetterReplay {
  /** The consumer group of replays: its committed offsets are what has been replayed. */
  public static final String GROUP = "nextbest-dlq-replay";

  /** A header naming where a replayed record was parked. */
  public static final String REPLAYED_FROM = "replayed-from";

  private static final Duration POLL = Duration.ofMillis(500);
  private final String bootstrap;
  private final String group;

  public DeadLetterReplay(String bootstrap, String group) {
    this.bootstrap = bootstrap;
    this.group = group;
  }

  /** What a replay did. */
  public record Result(long replayed, Map<String, Long> byReason) {}

  public static void main(String[] args) {
    String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    DeadLetterReplay replay = new DeadLetterReplay(bootstrap, GROUP);
    if (args.length == 2 && "replay".equals(args[0])) {
      Result r = replay.replay(args[1]);
      System.out.printf("replayed %,d records of %s.dlq to their topics%n", r.replayed(), args[1]);
      r.byReason().forEach((reason, n) -> System.out.printf("  %,6d  %s%n", n, reason));
    } else if (args.length >= 2 && "list".equals(args[0])) {
      for (int i = 1; i < args.length; i++) {
        System.out.printf("%-32s %,d waiting%n", args[i] + ".dlq", replay.waiting(args[i]));
      }
    } else {
      System.err.println("usage: dlq replay TOPIC | dlq list TOPIC...");
      System.exit(2);
    }
  }

  /** Records of {@code topic.dlq} not yet replayed. */
  public long waiting(String topic) {
    try (KafkaConsumer<String, String> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer, topic + ".dlq");
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions);
      var committed = consumer.committed(new java.util.HashSet<>(partitions));
      long n = 0;
      for (TopicPartition p : partitions) {
        OffsetAndMetadata c = committed.get(p);
        n += end.get(p) - Math.max(start.get(p), c == null ? 0 : c.offset());
      }
      return n;
    }
  }

  /** Replays every record of {@code topic.dlq} up to its end when the replay began. */
  public Result replay(String topic) {
    String dlq = topic + ".dlq";
    Map<String, Long> reasons = new TreeMap<>();
    long replayed = 0;
    try (KafkaConsumer<String, String> consumer = consumer();
        KafkaProducer<String, String> producer = producer()) {
      List<TopicPartition> partitions = partitions(consumer, dlq);
      consumer.assign(partitions);
      var committed = consumer.committed(new java.util.HashSet<>(partitions));
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long total = 0;
      for (TopicPartition p : partitions) {
        OffsetAndMetadata c = committed.get(p);
        if (c == null) {
          consumer.seekToBeginning(List.of(p));
        } else {
          consumer.seek(p, c.offset());
        }
        total += end.get(p) - consumer.position(p);
      }
      ProgressLine progress = new ProgressLine("replay " + dlq);
      while (!done(consumer, partitions, end)) {
        List<Future<?>> acks = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
          TopicPartition p = new TopicPartition(r.topic(), r.partition());
          if (r.offset() >= end.get(p)) {
            continue; // arrived after the replay began: the next replay's
          }
          String origin = header(r, DeadLetters.TOPIC);
          String value = "tombstone".equals(r.value()) ? null : r.value();
          ProducerRecord<String, String> back =
              new ProducerRecord<>(origin == null ? topic : origin, r.key(), value);
          back.headers()
              .add(
                  REPLAYED_FROM,
                  (dlq + "@" + r.partition() + ":" + r.offset()).getBytes(StandardCharsets.UTF_8));
          acks.add(producer.send(back));
          offsets.put(p, new OffsetAndMetadata(r.offset() + 1));
          String reason = header(r, DeadLetters.REASON);
          reasons.merge(reason == null ? "(no reason)" : abbreviate(reason), 1L, Long::sum);
          replayed++;
        }
        for (Future<?> ack : acks) {
          ack.get();
        }
        if (!offsets.isEmpty()) {
          consumer.commitSync(offsets);
        }
        progress.update(total == 0 ? 1 : (double) replayed / total, replayed, "records");
      }
      progress.finish(replayed, "records");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("the broker refused a replayed record", e.getCause());
    }
    return new Result(replayed, reasons);
  }

  private static boolean done(
      KafkaConsumer<String, String> consumer,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> end) {
    for (TopicPartition p : partitions) {
      if (consumer.position(p) < end.get(p)) {
        return false;
      }
    }
    return true;
  }

  private static List<TopicPartition> partitions(KafkaConsumer<String, String> c, String topic) {
    var info = c.partitionsFor(topic, Duration.ofSeconds(30));
    if (info == null || info.isEmpty()) {
      throw new IllegalArgumentException("no topic " + topic);
    }
    return info.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
  }

  private KafkaConsumer<String, String> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  private KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private static String header(ConsumerRecord<String, String> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
