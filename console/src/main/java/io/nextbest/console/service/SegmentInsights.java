package io.nextbest.console.service;

import static io.nextbest.console.client.ServiceClient.query;
import static io.nextbest.console.client.ServiceClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.console.client.Service;
import io.nextbest.console.client.ServiceClient;
import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Segments as profile-service keeps them: rule and fitted segments with their sizes, a segment's
 * size over time (a chart), its members a page at a time, and the K-means model's centroids
 * described in words.
 */
@ApplicationScoped
public class SegmentInsights {
  /** Members per page. */
  public static final int PAGE = 25;

  private final ServiceClient client;
  private final ObjectMapper json;

  public SegmentInsights(ServiceClient client, ObjectMapper json) {
    this.client = client;
    this.json = json;
  }

  /** A segment with its size now. */
  @TemplateData
  public record Segment(
      String id, String name, String kind, String description, String rule, long members) {}

  /** The fitted model: when, over how many purchasers, and its centroids. */
  @TemplateData
  public record Model(long version, String fittedAt, long customers, List<Centroid> centroids) {}

  /** A centroid: the segment it was labelled as, the purchasers nearest to it, in words. */
  @TemplateData
  public record Centroid(String segment, long size, String words) {}

  /** A segment's size per day: a chart's JSON and the same figures as rows. */
  @TemplateData
  public record History(String from, String to, int days, String chart, List<Day> rows) {
    public boolean empty() {
      return rows.isEmpty();
    }
  }

  /** A day's size. */
  @TemplateData
  public record Day(String day, long members) {}

  /** A page of members; {@code next} is the cursor of the next page, null at the end. */
  @TemplateData
  public record Members(
      String segmentId, long total, List<String> customerIds, String next, boolean reevaluating) {}

  public Uni<List<Segment>> segments(String token) {
    return client
        .get(Service.PROFILE, "/api/v1/segments", token)
        .map(
            list -> {
              List<Segment> out = new ArrayList<>();
              for (JsonNode s : list) {
                out.add(
                    new Segment(
                        s.path("id").asText(),
                        s.path("name").asText(s.path("id").asText()),
                        s.path("kind").asText(),
                        s.hasNonNull("description") ? s.path("description").asText() : null,
                        s.hasNonNull("rule") ? s.path("rule").asText() : null,
                        s.path("members").asLong()));
              }
              return out;
            });
  }

  public Uni<Model> model(String token) {
    return client
        .get(Service.PROFILE, "/api/v1/admin/segment-model", token)
        .map(SegmentInsights::model);
  }

  static Model model(JsonNode m) {
    List<Centroid> centroids = new ArrayList<>();
    for (JsonNode c : m.path("centroids")) {
      centroids.add(
          new Centroid(
              c.path("segment").asText(), c.path("size").asLong(), words(c.path("typical"))));
    }
    centroids.sort((a, b) -> Long.compare(b.size(), a.size()));
    return new Model(
        m.path("version").asLong(),
        m.path("fittedAt").asText(""),
        m.path("customers").asLong(),
        centroids);
  }

  /**
   * A centroid's typical member in words, e.g. "bought about 4 times, last 40 days ago, spends
   * 25.00 per order, 12-month CLV 80; a customer for 400 days, 90% likely still active". The
   * model's frequency counts repeat purchase days (BG/NBD's x), so purchases are one more.
   */
  static String words(JsonNode t) {
    if (t.isMissingNode() || t.isNull() || t.isEmpty()) {
      return "no typical member";
    }
    long purchases = Math.round(t.path("frequency").asDouble()) + 1;
    return String.format(
        Locale.ROOT,
        "bought about %d %s, last %d days ago, spends %.2f per order, 12-month CLV %.0f;"
            + " a customer for %d days, %.0f%% likely still active",
        purchases,
        purchases == 1 ? "time" : "times",
        Math.round(t.path("recencyDays").asDouble()),
        t.path("averageOrderValue").asDouble(),
        t.path("clv12m").asDouble(),
        Math.round(t.path("tenureDays").asDouble()),
        100 * t.path("probabilityAlive").asDouble());
  }

  public Uni<History> history(String token, String id, int days) {
    return client
        .get(Service.PROFILE, "/api/v1/segments/" + segment(id) + "/history?days=" + days, token)
        .map(h -> history(h, days));
  }

  History history(JsonNode h, int days) {
    ObjectNode chart = json.createObjectNode();
    ArrayNode x = chart.putArray("days");
    ObjectNode s = chart.putArray("series").addObject();
    s.put("label", "members");
    ArrayNode values = s.putArray("values");
    List<Day> rows = new ArrayList<>();
    for (JsonNode d : h.path("days")) {
      x.add(d.path("day").asText());
      values.add(d.path("members").asLong());
      rows.add(new Day(d.path("day").asText(), d.path("members").asLong()));
    }
    return new History(
        h.path("from").asText(""), h.path("to").asText(""), days, chart.toString(), rows);
  }

  public Uni<Members> members(String token, String id, String after) {
    String q = "?limit=" + PAGE + (after == null ? "" : "&after=" + query(after));
    return client
        .get(Service.PROFILE, "/api/v1/segments/" + segment(id) + "/members" + q, token)
        .map(
            p -> {
              List<String> ids = new ArrayList<>();
              p.path("members").forEach(m -> ids.add(m.path("customerId").asText()));
              return new Members(
                  p.path("segmentId").asText(id),
                  p.path("total").asLong(),
                  ids,
                  p.hasNonNull("next") ? p.path("next").asText() : null,
                  p.path("reevaluating").asBoolean());
            });
  }
}
