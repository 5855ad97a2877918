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

  /** The rules a decision is counted under, in the order charts and tables show them. */
  public static final List<String> RULES =
      List.of("model", "exploration", "manual", "control", "none");

  /** Decisions of one day by rule. */
  @TemplateData
  public record DayRow(String day, List<Long> byRule, long total) {}

  /** One campaign (or none) over the period: decisions by rule and the exploration share. */
  @TemplateData
  public record CampaignRow(
      String campaign, long decisions, List<Long> byRule, String explorationShare) {}

  /** The programme against the global control on one day, cumulative from the first day. */
  @TemplateData
  public record UpliftDay(
      String day,
      long treated,
      long control,
      String valueUplift,
      String conversionUplift,
      String alwaysValidP) {}

  /** decision-service's daily report as the Overview and Learning pages show it. */
  @TemplateData
  public record Daily(
      String from,
      String to,
      List<String> rules,
      List<DayRow> days,
      List<CampaignRow> campaigns,
      List<UpliftDay> programme,
      String rulesChart,
      String upliftChart,
      boolean anyDecision,
      boolean anyUplift) {}

  /** The last {@code days} days: decisions by rule, campaigns, the programme's daily uplift. */
  public Uni<Daily> daily(String token, int days) {
    return client
        .get(Service.DECISION, "/api/v1/reports/daily?days=" + days, token)
        .map(this::daily);
  }

  /** The daily report's JSON as the pages show it (public for the contract test). */
  public Daily daily(JsonNode r) {
    List<DayRow> days = new ArrayList<>();
    ObjectNode rules = json.createObjectNode();
    ArrayNode dayLabels = rules.putArray("days");
    ObjectNode perRule = rules.putObject("series");
    for (String rule : RULES) {
      perRule.putArray(rule);
    }
    boolean any = false;
    for (JsonNode d : r.path("days")) {
      List<Long> counts = new ArrayList<>();
      long total = 0;
      for (String rule : RULES) {
        long n = d.path("byRule").path(rule).asLong(0);
        counts.add(n);
        total += n;
        ((ArrayNode) perRule.get(rule)).add(n);
      }
      any |= total > 0;
      dayLabels.add(d.path("day").asText());
      days.add(new DayRow(d.path("day").asText(), counts, total));
    }
    List<CampaignRow> campaigns = new ArrayList<>();
    for (JsonNode c : r.path("campaigns")) {
      List<Long> counts = new ArrayList<>();
      for (String rule : RULES) {
        counts.add(c.path("byRule").path(rule).asLong(0));
      }
      campaigns.add(
          new CampaignRow(
              c.path("campaignId").isNull() || c.path("campaignId").isMissingNode()
                  ? "none"
                  : c.path("campaignId").asText(),
              c.path("decisions").asLong(),
              counts,
              String.format(Locale.ROOT, "%.1f%%", 100 * c.path("explorationShare").asDouble())));
    }
    List<UpliftDay> programme = new ArrayList<>();
    ObjectNode chart = json.createObjectNode();
    ArrayNode labels = chart.putArray("days");
    ArrayNode value = chart.putArray("value");
    ArrayNode low = chart.putArray("low");
    ArrayNode high = chart.putArray("high");
    boolean anyUplift = false;
    for (JsonNode p : r.path("programme")) {
      JsonNode v = p.path("valuePerDecision");
      programme.add(
          new UpliftDay(
              p.path("day").asText(),
              p.path("treated").asLong(),
              p.path("control").asLong(),
              interval(v, 1, ""),
              interval(p.path("conversionRate"), 100, "pp"),
              String.format(Locale.ROOT, "%.3f", p.path("alwaysValidP").asDouble(1))));
      if (v.isObject()) {
        anyUplift = true;
        labels.add(p.path("day").asText());
        value.add(v.path("value").asDouble());
        low.add(v.path("low").asDouble());
        high.add(v.path("high").asDouble());
      }
    }
    return new Daily(
        r.path("from").asText(""),
        r.path("to").asText(""),
        RULES,
        days,
        campaigns,
        programme,
        rules.toString(),
        chart.toString(),
        any,
        anyUplift);
  }

  /** A change of the policy mode. */
  @TemplateData
  public record ModeChange(
      String mode,
      String previous,
      String reason,
      String changedAt,
      boolean demotion,
      boolean byGuard,
      boolean learning) {}

  /** The latest changes of the policy mode, newest first. */
  public Uni<List<ModeChange>> modeHistory(String token) {
    return client
        .get(Service.DECISION, "/api/v1/policies/current/history?limit=20", token)
        .map(
            r -> {
              List<ModeChange> out = new ArrayList<>();
              for (JsonNode c : r) {
                out.add(
                    new ModeChange(
                        c.path("mode").asText(""),
                        c.path("previous").asText("–"),
                        c.path("reason").asText(""),
                        c.path("changedAt").asText(""),
                        c.path("demotion").asBoolean(),
                        c.path("byGuard").asBoolean(),
                        c.path("learning").asBoolean()));
              }
              return out;
            });
  }

  /** Records retained on one dead-letter topic. */
  @TemplateData
  public record DeadLetters(String topic, long records) {}

  /** The dead-letter topics' retained records (decision-service reads them from Kafka). */
  public Uni<List<DeadLetters>> deadLetters(String token) {
    return client
        .get(Service.DECISION, "/api/v1/reports/dead-letters", token)
        .map(
            r -> {
              List<DeadLetters> out = new ArrayList<>();
              for (JsonNode t : r) {
                out.add(new DeadLetters(t.path("topic").asText(""), t.path("records").asLong()));
              }
              return out;
            });
  }

  /** One feature an arm weighs. */
  @TemplateData
  public record Weight(String feature, String coefficient, String weight) {}

  /** An arm's heaviest features. */
  @TemplateData
  public record ArmWeights(String arm, long observations, List<Weight> features) {}

  /** The model's heaviest features per arm. */
  public Uni<List<ArmWeights>> weights(String token) {
    return client
        .get(Service.DECISION, "/api/v1/policies/current/features?top=8&arms=50", token)
        .map(
            r -> {
              List<ArmWeights> out = new ArrayList<>();
              for (JsonNode a : r.path("arms")) {
                List<Weight> features = new ArrayList<>();
                for (JsonNode f : a.path("features")) {
                  features.add(
                      new Weight(
                          f.path("feature").asText(""),
                          String.format(Locale.ROOT, "%+.4f", f.path("coefficient").asDouble()),
                          String.format(Locale.ROOT, "%.4f", f.path("weight").asDouble())));
                }
                out.add(
                    new ArmWeights(
                        a.path("arm").asText(""), a.path("observations").asLong(), features));
              }
              return out;
            });
  }

  /** Off-policy value per decision of the model and of manual priority, and their difference. */
  @TemplateData
  public record OffPolicy(
      long decisions, String matchRate, String model, String manual, String difference) {}

  /** The scorecard of the policy view as an off-policy comparison; null without one. */
  public static OffPolicy offPolicy(Map<String, Object> policy) {
    if (policy == null || !(policy.get("evidence") instanceof Map<?, ?> evidence)) {
      return null;
    }
    if (!(evidence.get("scorecard") instanceof Map<?, ?> s)) {
      return null;
    }
    return new OffPolicy(
        s.get("decisions") instanceof Number n ? n.longValue() : 0,
        s.get("matchRate") instanceof Number m
            ? String.format(Locale.ROOT, "%.1f%%", 100 * m.doubleValue())
            : "–",
        interval(s.get("model")),
        interval(s.get("manual")),
        interval(s.get("difference")));
  }

  private static String interval(Object o) {
    if (!(o instanceof Map<?, ?> i) || !(i.get("value") instanceof Number v)) {
      return "–";
    }
    return String.format(
        Locale.ROOT,
        "%+.3f (95%%: %+.3f to %+.3f)",
        v.doubleValue(),
        i.get("low") instanceof Number l ? l.doubleValue() : Double.NaN,
        i.get("high") instanceof Number h ? h.doubleValue() : Double.NaN);
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
