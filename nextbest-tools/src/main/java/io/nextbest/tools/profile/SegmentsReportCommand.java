package io.nextbest.tools.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.models.segments.ClusterModel;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.zip.GZIPInputStream;

/**
 * Prints the segment profile table (members, share and the medians of recency, frequency, monetary
 * value, order value, tenure, P(alive) and 12-month CLV per marketing segment) and saves a plot of
 * RFM and CLV by segment as SVG. Reads the running profile-service (the members of each of the five
 * segments and their profiles), or with {@code --file} computes what the service would from an
 * Online Retail file ({@link OfflineSegments}), as of {@code --as-of} (default: its latest event).
 *
 * <pre>
 * bin/nextbest segments-report [--url http://localhost:8081] [--out FILE.svg]
 * bin/nextbest segments-report --file online_retail.csv.gz [--as-of INSTANT] [--out FILE.svg]
 * </pre>
 */
public final class SegmentsReportCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE = 1000;
  private static final int IN_FLIGHT = 16;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String url;

  private SegmentsReportCommand(String url) {
    this.url = url;
  }

  public static void main(String[] args) throws Exception {
    CliArgs a = new CliArgs(args);
    Path out = Path.of(a.get("out", ".nextbest/segments-report.svg"));
    List<SegmentProfiles.Member> members;
    String title;
    if (a.get("file", null) != null) {
      Path file = Path.of(a.get("file", null));
      OnlineRetailOrders orders = new OnlineRetailOrders(false);
      try (InputStream raw = Files.newInputStream(file);
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(
                      file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw,
                      StandardCharsets.UTF_8),
                  1 << 16)) {
        in.readLine();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          orders.add(line);
        }
      }
      OnlineRetailOrders.Grouped g = orders.group();
      Instant asOf =
          a.get("as-of", null) == null ? g.latest() : ImportCommand.moment(a.get("as-of", null));
      OfflineSegments.Result r = OfflineSegments.run(g.events(), asOf);
      members = r.members();
      title = "Segments of " + file.getFileName() + " as of " + asOf + " (computed offline)";
      System.out.println("CLV model: " + r.clv().bgNbd() + " " + r.clv().gammaGamma());
      for (ClusterModel.Centroid c : r.segments().centroids()) {
        System.out.println("  cluster " + c.segment() + " (" + c.size() + "): " + c.typical());
      }
    } else {
      var cmd = new SegmentsReportCommand(a.get("url", "http://localhost:8081"));
      members = cmd.fromService();
      JsonNode model = cmd.get("/api/v1/admin/segment-model");
      title =
          "Segments of "
              + cmd.url
              + ": segment model v"
              + model.path("version").asText("?")
              + " as of "
              + model.path("asOf").asText("now");
    }
    List<SegmentProfiles.Row> rows = SegmentProfiles.table(members);
    System.out.println(title);
    System.out.print(SegmentProfiles.text(rows));
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, SegmentProfiles.svg(members, title));
    System.out.println("plot: " + out.toAbsolutePath());
  }

  /** Every member of the five segments with its profile's features and predictions. */
  private List<SegmentProfiles.Member> fromService() throws Exception {
    List<SegmentProfiles.Member> members = new ArrayList<>();
    Semaphore slots = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    java.util.concurrent.atomic.AtomicLong unread = new java.util.concurrent.atomic.AtomicLong();
    for (String segment : ClusterModel.SEGMENTS) {
      String after = "";
      while (after != null) {
        JsonNode page =
            get(
                "/api/v1/segments/"
                    + segment
                    + "/members?limit="
                    + PAGE
                    + "&after="
                    + URLEncoder.encode(after, StandardCharsets.UTF_8));
        for (JsonNode m : page.path("members")) {
          String id = m.path("customerId").asText();
          slots.acquire();
          pending.add(
              profile(id)
                  .thenAccept(
                      p -> {
                        if (p == null) {
                          unread.incrementAndGet();
                        } else if (p.path("features").path("purchaseCount").asLong() > 0) {
                          synchronized (members) {
                            members.add(member(segment, p));
                          }
                        }
                      })
                  .whenComplete((ok, e) -> slots.release()));
        }
        after = page.path("next").isTextual() ? page.path("next").asText() : null;
      }
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    if (unread.get() > 0) {
      System.err.println(unread.get() + " members' profiles could not be read; left out");
    }
    return members;
  }

  @SuppressWarnings("unchecked")
  private static SegmentProfiles.Member member(String segment, JsonNode profile) {
    Map<String, Object> features = JSON.convertValue(profile.path("features"), Map.class);
    Map<String, Object> predictions = JSON.convertValue(profile.path("predictions"), Map.class);
    return OfflineSegments.member(segment, features, predictions);
  }

  private CompletableFuture<JsonNode> profile(String customerId) {
    return http.sendAsync(
            request("/api/v1/profiles/" + URLEncoder.encode(customerId, StandardCharsets.UTF_8)),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(
            r -> {
              try {
                return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
              } catch (Exception e) {
                return null;
              }
            });
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(request(path), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create(url + path))
        .timeout(Duration.ofSeconds(30))
        // marketer or admin: bin/nextbest passes NEXTBEST_TOKEN
        .header("Authorization", "Bearer " + System.getenv().getOrDefault("NEXTBEST_TOKEN", ""))
        .GET()
        .build();
  }
}
