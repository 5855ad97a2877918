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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * End-to-end ingest throughput and lag: synthetic events (views, searches, add-to-carts, purchases
 * over a population of customers new to this run) posted in batches over HTTP with a few requests
 * in flight. An event counts only once it is stored, folded into its profile and that profile's
 * snapshot is on {@code nextbest.profiles.v1}: a reader of the topic (from its end before the run)
 * follows each customer's {@code features.eventCount}, and the run ends when every customer's
 * snapshots count all of its accepted events. The lag of a customer's i-th accepted event runs from
 * the answer that accepted it to the first snapshot counting i events (the customer's acceptances
 * in time order; the fold may take them in another order, so this pairs counts, not ids).
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
  private static final Pattern CUSTOMER = Pattern.compile("\"customerId\":\"([^\"]+)\"");
  private static final Pattern EVENT_COUNT = Pattern.compile("\"eventCount\":(\\d+)");

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

    // each customer's acceptance times (epoch ms), and the snapshots the topic shows of it
    Map<String, List<Long>> acceptedAt = new ConcurrentHashMap<>();
    try (SnapshotReader snapshots = new SnapshotReader(kafka, "bench-" + run + "-")) {
      ProgressLine progress = new ProgressLine("ingest");
      long started = System.currentTimeMillis();
      AtomicLong accepted = new AtomicLong();
      long[] latencies =
          send(
              sender,
              url,
              bodies,
              parallel,
              (ok, done, body) -> {
                long now = System.currentTimeMillis();
                Matcher m = CUSTOMER.matcher(body);
                while (m.find()) {
                  acceptedAt
                      .computeIfAbsent(
                          m.group(1),
                          k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                      .add(now);
                }
                accepted.addAndGet(ok);
                progress.update((double) done / bodies.size(), accepted.get(), "events");
              });
      long httpEnded = System.currentTimeMillis();
      progress.finish(accepted.get(), "events");
      long deadline = httpEnded + 600_000;
      ProgressLine folding = new ProgressLine("folded and published");
      long last;
      while (true) {
        long done = snapshots.eventsCounted(acceptedAt);
        folding.update((double) done / accepted.get(), done, "events");
        if (done >= accepted.get() || System.currentTimeMillis() > deadline) {
          last = snapshots.lastSeen();
          folding.finish(done, "events");
          break;
        }
        Thread.sleep(100);
      }
      long[] lags = snapshots.lags(acceptedAt);
      java.util.Arrays.sort(latencies);
      java.util.Arrays.sort(lags);
      double httpSeconds = (httpEnded - started) / 1e3;
      double seconds = (last - started) / 1e3;
      System.out.printf(
          Locale.ROOT,
          "events accepted          %,d%n"
              + "events in snapshots      %,d of them (nextbest.profiles.v1)%n"
              + "HTTP phase               %.2f s  %,.0f events/s accepted into the log%n"
              + "end to end               %.2f s  %,.0f events/s stored, folded, snapshot published%n"
              + "acceptance to snapshot   p50 %,d ms  p99 %,d ms  max %,d ms%n"
              + "batch latency            p50 %d ms  p99 %d ms  max %d ms%n"
              + "asked to wait (503)      %,d times%n",
          accepted.get(),
          snapshots.eventsCounted(acceptedAt),
          httpSeconds,
          accepted.get() / httpSeconds,
          seconds,
          accepted.get() / seconds,
          lags.length == 0 ? -1 : lags[lags.length / 2],
          lags.length == 0 ? -1 : lags[(int) (lags.length * 0.99)],
          lags.length == 0 ? -1 : lags[lags.length - 1],
          latencies[latencies.length / 2],
          latencies[(int) (latencies.length * 0.99)],
          latencies[latencies.length - 1],
          sender.waits());
    }
  }

  /**
   * Reads {@code nextbest.profiles.v1} from its end on a thread of its own and keeps, for each of
   * this run's customers, the snapshots' event counts with the time each first appeared.
   */
  static final class SnapshotReader implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final String prefix;
    private final Thread thread;
    private volatile boolean running = true;
    // customer -> (event count -> first seen, epoch ms)
    private final Map<String, java.util.NavigableMap<Integer, Long>> seen =
        new ConcurrentHashMap<>();
    private volatile long lastSeen;

    SnapshotReader(String bootstrap, String prefix) {
      this.prefix = prefix;
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
      consumer = new KafkaConsumer<>(props);
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.PROFILES, Duration.ofSeconds(10)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // resolve the end now, before the run starts
      thread = new Thread(this::read, "snapshot-reader");
      thread.setDaemon(true);
      thread.start();
    }

    private void read() {
      while (running) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
          if (r.key() == null || r.value() == null || !r.key().startsWith(prefix)) {
            continue;
          }
          Matcher m = EVENT_COUNT.matcher(r.value());
          if (m.find()) {
            long now = System.currentTimeMillis();
            seen.computeIfAbsent(r.key(), k -> new java.util.concurrent.ConcurrentSkipListMap<>())
                .putIfAbsent(Integer.parseInt(m.group(1)), now);
            lastSeen = now;
          }
        }
      }
      consumer.close();
    }

    long lastSeen() {
      return lastSeen;
    }

    /** Accepted events that snapshots already count, customer by customer. */
    long eventsCounted(Map<String, List<Long>> acceptedAt) {
      long n = 0;
      for (var e : acceptedAt.entrySet()) {
        var counts = seen.get(e.getKey());
        if (counts != null && !counts.isEmpty()) {
          n += Math.min(counts.lastKey(), e.getValue().size());
        }
      }
      return n;
    }

    /** For each accepted event counted by a snapshot, its lag in ms. */
    long[] lags(Map<String, List<Long>> acceptedAt) {
      List<Long> out = new ArrayList<>();
      for (var e : acceptedAt.entrySet()) {
        var counts = seen.get(e.getKey());
        if (counts == null) {
          continue;
        }
        List<Long> times = new ArrayList<>(e.getValue());
        java.util.Collections.sort(times);
        for (int i = 0; i < times.size(); i++) {
          var at = counts.ceilingEntry(i + 1);
          if (at == null) {
            break;
          }
          // the earliest snapshot counting at least i + 1 events
          long first = at.getValue();
          for (var later : counts.tailMap(i + 1, true).values()) {
            first = Math.min(first, later);
          }
          out.add(Math.max(0, first - times.get(i)));
        }
      }
      return out.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(5000);
    }
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
      String customer = "bench-" + run + "-" + rnd.nextInt(customers);
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
    void accepted(long events, long batchesDone, String body);
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
                      p.accepted(ok, n, bodies.get(index));
                    }
                  }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    return latencies;
  }
}
