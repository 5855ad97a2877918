package io.nextbest.console.service;

import static io.nextbest.console.client.ServiceClient.query;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reports, policy and learning as the services report them; charts are fed from the same JSON
 * (decision-service's uplift report), never drawn from made-up figures.
 */
@ApplicationScoped
public class InsightService {
  private final ServiceClient client;
  private final ObjectMapper json;

  public InsightService(ServiceClient client, ObjectMapper json) {
    this.client = client;
    this.json = json;
  }

  /** One comparison of treated against control, formatted for a table. */
  @TemplateData
  public record Comparison(
      String campaignId,
      long treated,
      long control,
      String conversionUplift,
      String valueUplift,
      String alwaysValidP,
      boolean significant,
      boolean sampleRatioAlert) {}

  /** The uplift report: the programme against the global control, then each campaign. */
  @TemplateData
  public record Uplift(
      String since,
      String generatedAt,
      Comparison programme,
      List<Comparison> campaigns,
      String chart) {}

  public Uni<Uplift> uplift(String token, String since) {
    String q = since == null || since.isBlank() ? "" : "?since=" + query(since);
    return client.get(Service.DECISION, "/api/v1/reports/uplift" + q, token).map(this::uplift);
  }

  Uplift uplift(JsonNode r) {
    List<Comparison> campaigns = new ArrayList<>();
    ObjectNode chart = json.createObjectNode();
    ArrayNode labels = chart.putArray("labels");
    ArrayNode value = chart.putArray("value");
    ArrayNode low = chart.putArray("low");
    ArrayNode high = chart.putArray("high");
    JsonNode programme = r.path("programme");
    add(programme, "programme", labels, value, low, high);
    for (JsonNode c : r.path("campaigns")) {
      campaigns.add(comparison(c));
      add(c, c.path("campaignId").asText(), labels, value, low, high);
    }
    return new Uplift(
        r.path("since").asText(""),
        r.path("generatedAt").asText(""),
        programme.isMissingNode() || programme.isNull() ? null : comparison(programme),
        campaigns,
        chart.toString());
  }

  /** A chart point: the value-per-decision uplift with its 95% interval. */
  private static void add(
      JsonNode c, String label, ArrayNode labels, ArrayNode value, ArrayNode low, ArrayNode high) {
    JsonNode u = c.path("uplift").path("valuePerDecision");
    if (u.isMissingNode() || u.isNull()) {
      return;
    }
    labels.add(label);
    value.add(u.path("value").asDouble());
    low.add(u.path("low").asDouble());
    high.add(u.path("high").asDouble());
  }

  static Comparison comparison(JsonNode c) {
    JsonNode u = c.path("uplift");
    return new Comparison(
        c.path("campaignId").asText("programme"),
        c.path("treated").path("decisions").asLong(),
        c.path("control").path("decisions").asLong(),
        interval(u.path("conversionRate"), 100, "pp"),
        interval(u.path("valuePerDecision"), 1, ""),
        c.path("sequential").isMissingNode()
            ? "–"
            : String.format(
                Locale.ROOT, "%.3f", c.path("sequential").path("alwaysValidP").asDouble()),
        c.path("sequential").path("significant").asBoolean(),
        c.path("sampleRatio").path("alert").asBoolean());
  }

  static String interval(JsonNode i, double scale, String unit) {
    if (i.isMissingNode() || i.isNull()) {
      return "–";
    }
    return String.format(
        Locale.ROOT,
        "%+.3f%s (95%%: %+.3f to %+.3f)",
        scale * i.path("value").asDouble(),
        unit.isEmpty() ? "" : " " + unit,
        scale * i.path("low").asDouble(),
        scale * i.path("high").asDouble());
  }

  /** The policy in force: mode, why, observations per arm and the promotion evidence. */
  public Uni<Map<String, Object>> policy(String token) {
    return client.get(Service.DECISION, "/api/v1/policies/current", token).map(this::plain);
  }

  /** The decision features' schema. */
  public Uni<Map<String, Object>> features(String token) {
    return client.get(Service.DECISION, "/api/v1/features", token).map(this::plain);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> plain(JsonNode node) {
    return node.isObject() ? json.convertValue(node, LinkedHashMap.class) : new LinkedHashMap<>();
  }
}
