package io.nextbest.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Looks for a person in every store: every table of every service's PostgreSQL database (each row
 * as text), every Redis key and value, and every record of the compacted profiles topic. The answer
 * lists where something was found, e.g. {@code postgres nextbest_decision_e2e.decision_log → 3}.
 */
final class PersonScan {
  static final String PROFILES_TOPIC = "nextbest.profiles.v1";
  private static final List<String> DATABASES =
      List.of(
          "nextbest_profile_e2e",
          "nextbest_eligibility_e2e",
          "nextbest_decision_e2e",
          "nextbest_content_e2e");

  private final int redisPort;
  private final String kafka;

  PersonScan(int redisPort, String kafka) {
    this.redisPort = redisPort;
    this.kafka = kafka;
  }

  /** Where any of the ids appears, with counts; empty when the person is gone. */
  Map<String, Long> find(List<String> ids) throws Exception {
    Map<String, Long> found = new TreeMap<>();
    for (String id : ids) {
      postgres(id, found);
      redis(id, found);
    }
    kafka(ids, found);
    return found;
  }

  private static void postgres(String id, Map<String, Long> found) throws SQLException {
    for (String db : DATABASES) {
      try (Connection c =
          DriverManager.getConnection(
              "jdbc:postgresql://127.0.0.1:5432/" + db, "nextbest", "nextbest")) {
        List<String> tables = new ArrayList<>();
        try (ResultSet r =
            c.createStatement()
                .executeQuery(
                    "select table_name from information_schema.tables where table_schema ="
                        + " 'public' and table_type = 'BASE TABLE' and table_name not like"
                        + " 'flyway%'")) {
          while (r.next()) {
            tables.add(r.getString(1));
          }
        }
        for (String t : tables) {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select count(*) from \"" + t + "\" x where strpos(x::text, ?) > 0")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              if (r.getLong(1) > 0) {
                found.merge("postgres " + db + "." + t, r.getLong(1), Long::sum);
              }
            }
          }
        }
      }
    }
  }

  private void redis(String id, Map<String, Long> found) throws IOException, InterruptedException {
    Path script = Files.createTempFile("find-person", ".lua");
    try (InputStream in = PersonScan.class.getResourceAsStream("/find-person.lua")) {
      Files.write(script, in.readAllBytes());
    }
    try {
      Process p =
          new ProcessBuilder(
                  "redis-cli",
                  "-p",
                  String.valueOf(redisPort),
                  "--raw",
                  "--eval",
                  script.toString(),
                  ",",
                  id)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.startsWith("ERR")) {
        throw new IllegalStateException("redis scan failed: " + out);
      }
      for (String key : out.split("\n")) {
        if (!key.isBlank()) {
          found.merge("redis " + key.strip(), 1L, Long::sum);
        }
      }
    } finally {
      Files.deleteIfExists(script);
    }
  }

  /** Records of the compacted topic keyed by or mentioning the person; tombstones count apart. */
  private void kafka(List<String> ids, Map<String, Long> found) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(PROFILES_TOPIC).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the profiles topic could not be read to its end");
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          for (String id : ids) {
            boolean keyed = id.equals(r.key());
            if (r.value() == null) {
              if (keyed) {
                found.merge("kafka " + PROFILES_TOPIC + " tombstone", 1L, Long::sum);
              }
            } else if (keyed || r.value().contains(id)) {
              found.merge("kafka " + PROFILES_TOPIC + " record", 1L, Long::sum);
            }
          }
        }
      }
    }
  }
}
