package io.nextbest.console.service;

import static io.nextbest.console.client.ServiceClient.query;
import static io.nextbest.console.client.ServiceClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.console.client.Service;
import io.nextbest.console.client.ServiceClient;
import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Campaigns as eligibility-service keeps them, with decision-service's last 7 days beside them. */
@ApplicationScoped
public class CampaignService {
  private final ServiceClient client;
  private final ObjectMapper json;

  public CampaignService(ServiceClient client, ObjectMapper json) {
    this.client = client;
    this.json = json;
  }

  /** One row of the campaign list. */
  @TemplateData
  public record Row(
      String id,
      String name,
      String status,
      String channels,
      String priority,
      String cap,
      String control,
      int version) {}

  /** A campaign's last 7 days from the uplift report. */
  @TemplateData
  public record Recent(long decisions, String uplift) {}

  /** One version in a campaign's audit history. */
  @TemplateData
  public record Change(int version, String action, String changedBy, String changedAt) {}

  /** A page of rows: {@code offset} of {@code total}. */
  @TemplateData
  public record Page<T>(List<T> rows, int offset, int limit, int total) {
    public boolean hasPrevious() {
      return offset > 0;
    }

    public boolean hasNext() {
      return offset + limit < total;
    }

    public int previous() {
      return Math.max(0, offset - limit);
    }

    public int next() {
      return offset + limit;
    }

    public int last() {
      return Math.min(total, offset + limit);
    }
  }

  /**
   * The campaigns, {@code limit} from {@code offset}, optionally of one status. eligibility-service
   * answers the whole list (campaigns are few, hundreds at most); the console pages it.
   */
  public Uni<Page<Row>> page(String token, String status, int offset, int limit) {
    return client
        .get(Service.ELIGIBILITY, "/api/v1/campaigns", token)
        .map(
            list -> {
              List<Row> rows = new ArrayList<>();
              for (JsonNode v : list) {
                JsonNode c = v.path("campaign");
                if (status != null
                    && !status.isBlank()
                    && !status.equals(c.path("status").asText())) {
                  continue;
                }
                rows.add(row(c, v.path("version").asInt()));
              }
              int from = Math.min(Math.max(0, offset), rows.size());
              int to = Math.min(rows.size(), from + limit);
              return new Page<>(List.copyOf(rows.subList(from, to)), from, limit, rows.size());
            });
  }

  static Row row(JsonNode c, int version) {
    List<String> channels = new ArrayList<>();
    c.path("channels").forEach(ch -> channels.add(ch.asText()));
    String mode = c.path("priorityMode").asText("manual");
    String priority =
        "auto".equals(mode) ? "auto (model)" : "manual " + c.path("priority").asText("0");
    JsonNode cap = c.path("cap");
    String capText =
        cap.isMissingNode() || cap.isNull()
            ? "none"
            : cap.path("max").asText("?") + " per " + cap.path("days").asText("?") + " days";
    String control =
        c.hasNonNull("controlPercent")
            ? String.format(Locale.ROOT, "%.1f%%", c.path("controlPercent").asDouble())
            : "default";
    return new Row(
        c.path("id").asText(),
        c.path("name").asText(c.path("id").asText()),
        c.path("status").asText("active"),
        String.join(", ", channels),
        priority,
        capText,
        control,
        version);
  }

  /** Decisions and conversion uplift of each campaign over the last 7 days, by campaign id. */
  public Uni<Map<String, Recent>> lastSevenDays(String token) {
    String since =
        Instant.now().minus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    return client
        .get(Service.DECISION, "/api/v1/reports/uplift?since=" + query(since), token)
        .map(
            report -> {
              Map<String, Recent> byId = new HashMap<>();
              for (JsonNode c : report.path("campaigns")) {
                long decisions =
                    c.path("treated").path("decisions").asLong()
                        + c.path("control").path("decisions").asLong();
                JsonNode u = c.path("uplift").path("conversionRate");
                String uplift =
                    u.isMissingNode() || u.isNull()
                        ? "–"
                        : String.format(
                            Locale.ROOT,
                            "%+.2f pp (%+.2f to %+.2f)",
                            100 * u.path("value").asDouble(),
                            100 * u.path("low").asDouble(),
                            100 * u.path("high").asDouble());
                byId.put(c.path("campaignId").asText(), new Recent(decisions, uplift));
              }
              return byId;
            });
  }

  /** A stored campaign's definition. */
  public Uni<JsonNode> get(String token, String id) {
    return client
        .get(Service.ELIGIBILITY, "/api/v1/campaigns/" + segment(id), token)
        .map(v -> v.path("campaign"));
  }

  public Uni<List<Change>> history(String token, String id) {
    return client
        .get(Service.ELIGIBILITY, "/api/v1/campaigns/" + segment(id) + "/history", token)
        .map(
            list -> {
              List<Change> changes = new ArrayList<>();
              for (JsonNode c : list) {
                changes.add(
                    new Change(
                        c.path("version").asInt(),
                        c.path("action").asText(),
                        c.path("changedBy").asText("unknown"),
                        c.path("changedAt").asText()));
              }
              java.util.Collections.reverse(changes);
              return changes;
            });
  }

  /** Checks a campaign without saving it (CEL errors come back with line and column). */
  public Uni<JsonNode> validate(String token, ObjectNode spec) {
    return client.post(Service.ELIGIBILITY, "/api/v1/campaigns/validate", token, spec);
  }

  /**
   * How many customers the campaign would select now (at most {@code limit} walked), with up to
   * {@code examples} of their ids.
   */
  public Uni<JsonNode> dryRun(String token, ObjectNode spec, long limit, int examples) {
    return client.post(
        Service.ELIGIBILITY,
        "/api/v1/campaigns/dry-run?limit=" + limit + "&examples=" + examples,
        token,
        spec);
  }

  public Uni<JsonNode> create(String token, ObjectNode spec) {
    return client.post(Service.ELIGIBILITY, "/api/v1/campaigns", token, spec);
  }

  /**
   * Saves a new version: the form's fields over the stored definition, so what the form does not
   * show (attributes) is kept.
   */
  public Uni<JsonNode> update(String token, String id, ObjectNode form) {
    return get(token, id)
        .chain(
            stored -> {
              ObjectNode merged =
                  stored.isObject() ? ((ObjectNode) stored).deepCopy() : json.createObjectNode();
              merged.setAll(form);
              merged.put("id", id);
              return client.put(
                  Service.ELIGIBILITY, "/api/v1/campaigns/" + segment(id), token, merged);
            });
  }

  public ObjectMapper json() {
    return json;
  }
}
