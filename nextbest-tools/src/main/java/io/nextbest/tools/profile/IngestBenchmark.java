package io.nextbest.tools.profile;

import io.nextbest.events.Topics;
import io.nextbest.tools.common.PatientSender;
import io.nextbest.tools.common.ProgressLine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * End-to-end ingest throughput: synthetic events (views, searches, add-to-carts, purchases over a
 * customer population) posted in batches over HTTP with a few requests in flight, timed from the
 * first request until every accepted event is on {@code nextbest.events.v1} (counted by the topic's
 * end offsets), i.e. stored in PostgreSQL, folded into profiles and relayed to Kafka.
 *
 * <pre>
 * IngestBenchmark --url http://127.0.0.1:18081 [--events 300000] [--customers 50000]
 *     [--batch 500] [--parallel 6] [--kafka 127.0.0.1:9092]
 * </pre>
 */
public final class IngestBenchmark {
  private static final String[] CATEGORIES = {
    "tea", "coffee", "mugs", "books", "shoes", "bags", "toys", "garden", "kitchen", "music"
  };

  public static void main(String[] args) throws Exception {
    CliArgs a = new CliArgs(args);
    String url = a.get("url", "http://127.0.0.1:18081");
    int events = Integer.parseInt(a.get("events", "300000"));
    int customers = Integer.parseInt(a.get("customers", "50000"));
    int batch = Integer.parseInt(a.get("batch", "500"));
    int parallel = Integer.parseInt(a.get("parallel", "6"));
    String kafka = a.get("kafka", "127.0.0.1:9092");
    String run = Long.toString(System.currentTimeMillis(), 36);

    List<String> bodies = generate(run, events, customers, batch);
    System.err.printf(
        Locale.ROOT,
        "%,d events for %,d customers in %,d batches of %d, %d in flight%n",
        events,
        customers,
        bodies.size(),
        batch,
        parallel);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    PatientSender sender = new PatientSender(http, 60);
    // warm-up: the JIT and the connection pools, on events outside the measured run
    send(sender, url, generate(run + "w", 20_000, 5_000, batch), parallel, null);

    long offsetsBefore = endOffsets(kafka);
    ProgressLine progress = new ProgressLine("ingest");
    long started = System.nanoTime();
    AtomicLong accepted = new AtomicLong();
    long[] latencies =
        send(
            sender,
            url,
            bodies,
            parallel,
            (ok, done) -> {
              accepted.addAndGet(ok);
              progress.update((double) done / bodies.size(), accepted.get(), "events");
            });
    double httpSeconds = (System.nanoTime() - started) / 1e9;
    progress.finish(accepted.get(), "events");
    long published;
    Instant deadline = Instant.now().plusSeconds(300);
    do {
      published = endOffsets(kafka) - offsetsBefore;
      if (published >= accepted.get()) {
        break;
      }
      Thread.sleep(50);
    } while (Instant.now().isBefore(deadline));
    double seconds = (System.nanoTime() - started) / 1e9;
    java.util.Arrays.sort(latencies);
    System.out.printf(
        Locale.ROOT,
        "events accepted        %,d%n"
            + "events on Kafka        %,d (nextbest.events.v1, incl. segment events)%n"
            + "HTTP phase             %.2f s  %,.0f events/s%n"
            + "end to end (on Kafka)  %.2f s  %,.0f events/s%n"
            + "batch latency          p50 %d ms  p99 %d ms  max %d ms%n"
            + "asked to wait (503)    %,d times%n",
        accepted.get(),
        published,
        httpSeconds,
        accepted.get() / httpSeconds,
        seconds,
        accepted.get() / seconds,
        latencies[latencies.length / 2],
        latencies[(int) (latencies.length * 0.99)],
        latencies[latencies.length - 1],
        sender.waits());
  }

  /** Request bodies: each batch mixes customers, mostly browsing, some carts and purchases. */
  static List<String> generate(String run, int events, int customers, int batch) {
    SplittableRandom rnd = new SplittableRandom(42);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    List<String> bodies = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < events; i++) {
      if (i % batch == 0) {
        if (b.length() > 0) {
          bodies.add(b.append("]}").toString());
        }
        b.setLength(0);
        b.append("{\"events\":[");
      } else {
        b.append(',');
      }
      String customer = "bench-" + rnd.nextInt(customers);
      String category = CATEGORIES[rnd.nextInt(CATEGORIES.length)];
      Instant at = now.minusSeconds(rnd.nextInt(86_400 * 365));
      int kind = rnd.nextInt(100);
      String sku = "SKU-" + rnd.nextInt(5000);
      b.append("{\"eventId\":\"")
          .append(run)
          .append('-')
          .append(i)
          .append("\",\"customerId\":\"")
          .append(customer)
          .append("\",\"occurredAt\":\"")
          .append(at)
          .append("\",");
      if (kind < 60) {
        b.append("\"type\":\"view\",\"properties\":{\"sku\":\"")
            .append(sku)
            .append("\",\"category\":\"")
            .append(category)
            .append("\"}}");
      } else if (kind < 75) {
        b.append("\"type\":\"search\",\"properties\":{\"query\":\"")
            .append(category)
            .append("\"}}");
      } else if (kind < 90) {
        b.append("\"type\":\"add_to_cart\",\"properties\":{\"sku\":\"")
            .append(sku)
            .append("\",\"category\":\"")
            .append(category)
            .append("\",\"price\":19.9}}");
      } else {
        double price = 5 + rnd.nextInt(9500) / 100.0;
        int qty = 1 + rnd.nextInt(3);
        b.append("\"type\":\"purchase\",\"properties\":{\"orderId\":\"o-")
            .append(run)
            .append('-')
            .append(i)
            .append("\",\"amount\":")
            .append(String.format(Locale.ROOT, "%.2f", price * qty))
            .append(",\"currency\":\"EUR\",\"items\":[{\"sku\":\"")
            .append(sku)
            .append("\",\"category\":\"")
            .append(category)
            .append("\",\"price\":")
            .append(String.format(Locale.ROOT, "%.2f", price))
            .append(",\"quantity\":")
            .append(qty)
            .append("}]}}");
      }
    }
    if (b.length() > 0) {
      bodies.add(b.append("]}").toString());
    }
    return bodies;
  }

  interface Progress {
    void accepted(long events, long batchesDone);
  }

  /**
   * Posts every body with at most {@code parallel} in flight; returns each batch's latency. A batch
   * answered 503 (the service is behind) is sent again after its {@code Retry-After}, as a client
   * should; its latency includes the wait.
   */
  static long[] send(
      PatientSender sender, String url, List<String> bodies, int parallel, Progress p)
      throws Exception {
    Semaphore slots = new Semaphore(parallel);
    long[] latencies = new long[bodies.size()];
    AtomicLong done = new AtomicLong();
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      slots.acquire();
      int index = i;
      long t0 = System.nanoTime();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url + "/api/v1/events"))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/json")
              // events:write (or admin): bin/nextbest passes NEXTBEST_TOKEN
              .header(
                  "Authorization", "Bearer " + System.getenv().getOrDefault("NEXTBEST_TOKEN", ""))
              .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i)))
              .build();
      all.add(
          sender
              .send(request)
              .whenComplete(
                  (r, e) -> {
                    latencies[index] = (System.nanoTime() - t0) / 1_000_000;
                    slots.release();
                    if (e != null || r.statusCode() != 202) {
                      System.err.println(
                          "\nbatch failed: " + (e != null ? e : r.statusCode() + " " + r.body()));
                      return;
                    }
                    long ok = Long.parseLong(r.body().replaceAll(".*\"accepted\":(\\d+).*", "$1"));
                    long n = done.incrementAndGet();
                    if (p != null) {
                      p.accepted(ok, n);
                    }
                  }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    return latencies;
  }

  /** Sum of the end offsets of the events topic's partitions. */
  static long endOffsets(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (var consumer = new KafkaConsumer<byte[], byte[]>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(10)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .collect(Collectors.toList());
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      return ends.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
