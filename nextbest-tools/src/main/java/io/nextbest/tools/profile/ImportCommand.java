package io.nextbest.tools.profile;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.tools.common.CountingInputStream;
import io.nextbest.tools.common.PatientSender;
import io.nextbest.tools.common.ProgressLine;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;

/**
 * Loads a real transaction file through the public ingest API ({@code POST /api/v1/events}), in
 * batches with several requests in flight (no round trip per order), and prints a summary: orders
 * and returns sent, accepted, duplicates, skipped guest orders, rejected lines and events by
 * reason, orders per second. Online Retail invoices become purchase events with their items, and
 * cancellations and negative lines become return (or refund) events linked to the order they give
 * back ({@link OnlineRetailOrders}). Event ids derive from the file, so a second run is all
 * duplicates. The CLV and segment models are then refitted when no fit is in use yet (the first
 * import: the CLV model is the built-in prior, or there is no segment model), always with {@code
 * --refit}, never with {@code --no-refit}; the fit is declared as of {@code --as-of} (default: the
 * file's latest event), so a history from 2011 is judged as of its end, not as of today.
 *
 * <pre>
 * bin/nextbest import --format online-retail|cdnow FILE [--url http://localhost:8081]
 *     [--batch 500] [--parallel 6] [--limit N] [--refit|--no-refit] [--as-of INSTANT|live]
 *     [--keep-guests]
 * </pre>
 */
public final class ImportCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;

  /** Most times one batch is sent again after "ingest is behind" (Retry-After 2 s: 4 minutes). */
  static final int MAX_WAITS = 120;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final PatientSender sender = new PatientSender(http, MAX_WAITS);
  private final String url;
  private final int batchSize;
  private final Semaphore inFlight;
  private final List<CompletableFuture<Void>> pending = new ArrayList<>();
  private final LongAdder sent = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
  private final AtomicLong failedBatches = new AtomicLong();
  private Batch batch;
  private final Map<String, Object> grouping = new LinkedHashMap<>();
  private Instant latest;
  private boolean keepGuests;

  private ImportCommand(String url, int batchSize, int parallel) {
    this.url = url;
    this.batchSize = batchSize;
    this.inFlight = new Semaphore(parallel);
  }

  public static void main(String[] args) throws Exception {
    CliArgs a = new CliArgs(args, java.util.Set.of("refit", "no-refit", "keep-guests"));
    boolean always = Boolean.parseBoolean(a.get("refit", "false"));
    boolean never = Boolean.parseBoolean(a.get("no-refit", "false"));
    if (a.positional().size() != 1 || (always && never)) {
      System.err.println(
          "usage: bin/nextbest import --format online-retail|cdnow FILE [--url URL] [--batch 500]"
              + " [--parallel 6] [--limit N] [--refit|--no-refit] [--as-of INSTANT|live]"
              + " [--keep-guests]");
      System.exit(2);
    }
    Path file = Path.of(a.positional().get(0));
    String format = a.require("format");
    if (!format.equals("online-retail") && !format.equals("cdnow")) {
      throw new IllegalArgumentException(
          "unknown format '" + format + "': use online-retail or cdnow");
    }
    int batch = Integer.parseInt(a.get("batch", "500"));
    if (batch < 1 || batch > 1000) {
      throw new IllegalArgumentException("--batch must be 1 to 1000 (the API's batch limit)");
    }
    long limit = Long.parseLong(a.get("limit", Long.toString(Long.MAX_VALUE)));
    String asOfArg = a.get("as-of", null);
    Instant declared = asOfArg == null || asOfArg.equals("live") ? null : moment(asOfArg);
    var cmd =
        new ImportCommand(
            a.get("url", "http://localhost:8081"), batch, Integer.parseInt(a.get("parallel", "6")));
    cmd.keepGuests = Boolean.parseBoolean(a.get("keep-guests", "false"));
    Map<String, Object> summary = cmd.run(file, format, limit);
    // the moment the data stands at: declared, else the file's latest event ("live": now)
    Instant asOf = "live".equals(asOfArg) ? null : declared != null ? declared : cmd.latest;
    summary.put("asOf", asOf == null ? "live" : asOf.toString());
    String refit = never ? null : always ? "asked for (--refit)" : cmd.firstImport();
    summary.put("refit", refit == null ? "no" : refit);
    if (refit != null) {
      summary.put(
          "clvModel",
          cmd.post("/api/v1/admin/clv-model/fit" + (asOf == null ? "" : "?asOf=" + asOf)));
      JsonNode segments = cmd.post("/api/v1/admin/segment-model/fit");
      Map<String, Long> sizes = new TreeMap<>();
      if (segments != null && segments.has("centroids")) {
        segments
            .get("centroids")
            .forEach(
                c -> sizes.merge(c.get("segment").asText(), c.get("size").asLong(), Long::sum));
      }
      summary.put("segments", sizes);
    }
    System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    System.exit(cmd.failedBatches.get() == 0 ? 0 : 1);
  }

  /** An ISO-8601 instant, or a date or local date-time read as UTC. */
  static Instant moment(String value) {
    try {
      if (value.length() == 10) {
        return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return value.endsWith("Z") || value.contains("+")
          ? Instant.parse(value)
          : LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--as-of must be an instant (2011-12-09T12:50:00Z), a date (2011-12-10) or live");
    }
  }

  private Map<String, Object> run(Path file, String format, long limit) throws Exception {
    long size = Files.size(file);
    long started = System.nanoTime();
    ProgressLine progress = new ProgressLine("import " + file.getFileName());
    try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
        BufferedReader in = reader(file, counted)) {
      // the share of the file's bytes read
      Runnable tick = () -> progress.update((double) counted.count() / size, sent.sum(), "events");
      if (format.equals("cdnow")) {
        readCdnow(in, limit, tick);
      } else {
        readOnlineRetail(in, limit, tick);
      }
      flush();
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }
    progress.finish(sent.sum(), "events");
    long sentAt = System.nanoTime();
    awaitFolded();
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("file", file.toString());
    summary.put("format", format);
    summary.put("sent", sent.sum());
    summary.putAll(grouping);
    summary.put("accepted", accepted.sum());
    summary.put("duplicates", duplicates.sum());
    Map<String, Long> reasons = new TreeMap<>();
    rejected.forEach((k, v) -> reasons.put(k, v.sum()));
    summary.put("rejected", reasons.values().stream().mapToLong(Long::longValue).sum());
    summary.put("rejectedByReason", reasons);
    summary.put("failedBatches", failedBatches.get());
    // until the last accepted event was folded into its profile, not only accepted
    summary.put("seconds", Math.round(seconds * 10) / 10.0);
    summary.put("foldWaitSeconds", Math.round((System.nanoTime() - sentAt) / 1e8) / 10.0);
    summary.put("eventsPerSecond", Math.round(sent.sum() / seconds));
    if (grouping.get("orders") instanceof Long orders) {
      summary.put("ordersPerSecond", Math.round(Math.min(orders, sent.sum()) / seconds));
    }
    return summary;
  }

  private static BufferedReader reader(Path file, InputStream raw) throws IOException {
    InputStream in = raw;
    if (file.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(raw, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  /**
   * The invoices as purchases and returns ({@link OnlineRetailOrders}), sent while the file is
   * read: an invoice's events leave once a few newer invoices have started (its lines are then all
   * read, and the orders a cancellation can give back are known), in the file's time order.
   */
  private void readOnlineRetail(BufferedReader in, long limit, Runnable tick) throws Exception {
    in.readLine(); // header
    OnlineRetailOrders orders = new OnlineRetailOrders(keepGuests);
    long[] kinds = new long[2]; // purchases, returns
    String line;
    while (kinds[0] + kinds[1] < limit && (line = in.readLine()) != null) {
      orders.add(line);
      send(orders.drain(), limit, kinds, tick);
    }
    orders.finish();
    send(orders.drain(), limit, kinds, tick);
    OnlineRetailOrders.Grouped g = orders.totals();
    // the moment the data stands at: the latest event sent (the file's latest line without them)
    latest = latest == null ? g.latest() : latest;
    grouping.put("orders", kinds[0]);
    grouping.put("returns", kinds[1]);
    grouping.put("returnsWithoutKnownOrder", g.unlinkedReturns());
    Map<String, Object> skipped = new LinkedHashMap<>();
    skipped.put("guestOrders", g.guestOrders());
    skipped.put("guestLines", g.guestLines());
    skipped.put("keptAsAnonymousVisitors", keepGuests);
    grouping.put("skipped", skipped);
    grouping.put("rejectedLines", g.rejectedLines());
    grouping.put("ordersWithItemsCapped", g.cappedOrders());
  }

  private void send(List<OnlineRetailOrders.Event> events, long limit, long[] kinds, Runnable tick)
      throws IOException, InterruptedException {
    for (OnlineRetailOrders.Event e : events) {
      if (kinds[0] + kinds[1] >= limit) {
        return;
      }
      kinds[e.type().equals("purchase") ? 0 : 1]++;
      if (latest == null || e.at().isAfter(latest)) {
        latest = e.at();
      }
      batch().writeTo(e);
      added();
      tick.run();
    }
  }

  /** Writes one event of the history as the ingest API takes it. */
  static void write(JsonGenerator g, OnlineRetailOrders.Event event) throws IOException {
    g.writeStartObject();
    g.writeStringField("eventId", event.eventId());
    g.writeStringField("customerId", event.customerId());
    g.writeStringField("type", event.type());
    g.writeStringField("occurredAt", event.at().toString());
    g.writeObjectFieldStart("properties");
    g.writeStringField("orderId", event.orderId());
    g.writeNumberField("amount", event.amount());
    g.writeStringField("currency", OnlineRetailOrders.CURRENCY);
    g.writeArrayFieldStart("items");
    for (OnlineRetailOrders.Item i : event.items()) {
      g.writeStartObject();
      g.writeStringField("sku", i.sku());
      if (!i.name().isEmpty()) {
        g.writeStringField("name", i.name());
      }
      g.writeNumberField("price", i.price());
      g.writeNumberField("quantity", i.quantity());
      g.writeEndObject();
    }
    g.writeEndArray();
    if (event.reason() != null) {
      g.writeStringField("reason", event.reason());
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  /** One purchase event per line: customer, date, number of CDs, dollar value. */
  private void readCdnow(BufferedReader in, long limit, Runnable tick) throws Exception {
    String line;
    long n = 0;
    while ((line = in.readLine()) != null
        && sent.sum() + (batch == null ? 0 : batch.size) < limit) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 4 || !Character.isDigit(f[0].charAt(0))) {
        continue;
      }
      n++;
      int date = f.length >= 5 ? 2 : 1;
      LocalDate day = LocalDate.parse(f[date], BASIC);
      Instant at = LocalDateTime.of(day, java.time.LocalTime.NOON).toInstant(ZoneOffset.UTC);
      if (latest == null || at.isAfter(latest)) {
        latest = at;
      }
      int cds = Integer.parseInt(f[date + 1]);
      BigDecimal value = new BigDecimal(f[date + 2]);
      ObjectNode e = JSON.createObjectNode();
      e.put("eventId", "cdnow:" + f[0] + ":" + n);
      e.put("customerId", "cdnow-" + f[0]);
      e.put("type", "purchase");
      e.put(
          "occurredAt",
          LocalDateTime.of(day, java.time.LocalTime.NOON).toInstant(ZoneOffset.UTC).toString());
      ObjectNode p = e.putObject("properties");
      p.put("orderId", f[0] + "-" + n);
      p.put("amount", value);
      p.put("currency", "USD");
      ObjectNode item = p.putArray("items").addObject();
      item.put("sku", "cd");
      item.put("category", "music");
      item.put(
          "price",
          cds > 0 ? value.divide(BigDecimal.valueOf(cds), 2, RoundingMode.HALF_UP) : value);
      item.put("quantity", Math.max(cds, 1));
      add(e);
      tick.run();
    }
  }

  /**
   * The batch being written: its events go straight into the request body ({@code {"events":
   * [...]}}), never held as trees.
   */
  private final class Batch {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 20);
    private final JsonGenerator json;
    private int size;

    Batch() throws IOException {
      json = JSON.getFactory().createGenerator(body);
      json.writeStartObject();
      json.writeArrayFieldStart("events");
    }

    void writeTo(OnlineRetailOrders.Event e) throws IOException {
      write(json, e);
      size++;
    }

    void writeTo(ObjectNode event) throws IOException {
      JSON.writeTree(json, event);
      size++;
    }

    byte[] finish() throws IOException {
      json.writeEndArray();
      json.writeEndObject();
      json.close();
      return body.toByteArray();
    }
  }

  private Batch batch() throws IOException {
    if (batch == null) {
      batch = new Batch();
    }
    return batch;
  }

  private void add(ObjectNode event) throws IOException, InterruptedException {
    batch().writeTo(event);
    added();
  }

  /** Sends the batch once it is full. */
  private void added() throws IOException, InterruptedException {
    if (batch.size >= batchSize) {
      flush();
    }
  }

  private void flush() throws IOException, InterruptedException {
    if (batch == null || batch.size == 0) {
      return;
    }
    Batch full = batch;
    batch = null;
    sent.add(full.size);
    byte[] body = full.finish();
    inFlight.acquire();
    pending.removeIf(CompletableFuture::isDone);
    pending.add(send(body, full.size).whenComplete((ok, e) -> inFlight.release()));
  }

  private CompletableFuture<Void> send(byte[] body, int count) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/api/v1/events"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            // events:write (or admin): bin/nextbest passes NEXTBEST_TOKEN
            .header("Authorization", "Bearer " + System.getenv().getOrDefault("NEXTBEST_TOKEN", ""))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return sender
        .send(request)
        .handle(
            (response, error) -> {
              int status = error == null ? response.statusCode() : -1;
              if (status == 202 || status == 400) {
                tally(status, response.body(), count);
                return null;
              }
              failedBatches.incrementAndGet();
              String why = error != null ? error.toString() : status + " " + response.body();
              System.err.println("\nbatch of " + count + " events failed: " + why);
              return null;
            });
  }

  private void tally(int status, String body, int count) {
    try {
      JsonNode r = JSON.readTree(body);
      if (status == 202) {
        accepted.add(r.path("accepted").asLong());
        duplicates.add(r.path("duplicates").asLong());
        r.path("rejected")
            .forEach(x -> reject(x.path("field").asText() + ": " + x.path("reason").asText()));
      } else {
        // every event of the batch refused: the problem lists events[i].field with a message
        JsonNode errors = r.path("errors");
        if (errors.isEmpty()) {
          reject("batch: " + r.path("detail").asText());
          return;
        }
        errors.forEach(
            x ->
                reject(
                    x.path("field").asText().replaceFirst("^events\\[\\d+\\]\\.", "")
                        + ": "
                        + x.path("message").asText()));
      }
    } catch (IOException e) {
      failedBatches.incrementAndGet();
    }
  }

  private void reject(String reason) {
    rejected.computeIfAbsent(reason, k -> new LongAdder()).increment();
  }

  /**
   * Waits until profile-service's log consumers have folded every event this import sent: the end
   * offset of each partition of the log is noted right after the last batch ({@code GET
   * /api/v1/events/lag}), and the wait ends once the folded offset of every partition reaches it,
   * whatever other senders add meanwhile. So a refit sees everything this import sent.
   */
  private void awaitFolded() throws Exception {
    Map<Integer, Long> ends = null;
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    long lastShown = -1;
    while (true) {
      HttpResponse<String> r = get("/api/v1/events/lag");
      if (r.statusCode() / 100 == 4) {
        System.err.println(
            "cannot tell whether the events are folded (GET /api/v1/events/lag answered "
                + r.statusCode()
                + "); going on");
        return;
      }
      if (r.statusCode() == 200) {
        JsonNode partitions = JSON.readTree(r.body()).path("partitions");
        if (ends == null) {
          ends = new java.util.HashMap<>();
          for (JsonNode p : partitions) {
            ends.put(p.path("partition").asInt(), p.path("end").asLong());
          }
        }
        long behind = 0;
        for (JsonNode p : partitions) {
          Long end = ends.get(p.path("partition").asInt());
          if (end != null) {
            behind += Math.max(0, end - p.path("folded").asLong());
          }
        }
        if (behind == 0) {
          if (lastShown > 0) {
            System.err.println();
          }
          return;
        }
        if (behind != lastShown) {
          System.err.printf(Locale.ROOT, "\rfolding: %,d records of the log to go   ", behind);
          lastShown = behind;
        }
      }
      if (System.nanoTime() > deadline) {
        System.err.println("\nthe fold did not catch up within 30 minutes; going on");
        return;
      }
      Thread.sleep(500);
    }
  }

  /**
   * Why this import refits by default: no fitted CLV model in use yet (version 0, the built-in
   * prior) or no segment model; null when both have been fitted (a later import, refit nightly).
   */
  private String firstImport() throws Exception {
    HttpResponse<String> clv = get("/api/v1/admin/clv-model");
    if (clv.statusCode() == 200 && JSON.readTree(clv.body()).path("version").asLong(-1) == 0) {
      return "first import: the CLV model in use is the built-in prior";
    }
    if (get("/api/v1/admin/segment-model").statusCode() == 404) {
      return "first import: there is no segment model";
    }
    return null;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + System.getenv().getOrDefault("NEXTBEST_TOKEN", ""))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode post(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofMinutes(10))
                // refits are admin operations: the token bin/nextbest import passes
                .header(
                    "Authorization", "Bearer " + System.getenv().getOrDefault("NEXTBEST_TOKEN", ""))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    if (r.statusCode() != 200) {
      System.err.println(
          path + " answered " + r.statusCode() + ": " + body.path("detail").asText());
    }
    return body;
  }
}
