package io.nextbest.console.service;

import static io.nextbest.console.client.ServiceClient.query;
import static io.nextbest.console.client.ServiceClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * A customer as the services see them: profile-service's profile, eligibility's answer now,
 * decision-service's latest decisions with their explanations (the campaigns excluded at that
 * moment among them) and outcomes.
 */
@ApplicationScoped
public class CustomerService {
  private final ServiceClient client;
  private final ObjectMapper json;

  public CustomerService(ServiceClient client, ObjectMapper json) {
    this.client = client;
    this.json = json;
  }

  /** The profile snapshot: attributes, features, predictions, consents, segments. */
  public Uni<Map<String, Object>> profile(String token, String id) {
    return client.get(Service.PROFILE, "/api/v1/profiles/" + segment(id), token).map(this::plain);
  }

  /** Which campaigns the customer may receive now, and why each other one is excluded. */
  public Uni<Map<String, Object>> eligibility(String token, String id) {
    return client
        .get(Service.ELIGIBILITY, "/api/v1/eligibility/" + segment(id), token)
        .map(this::plain);
  }

  /** A candidate of a logged decision: its probability, manual priority, channel and control. */
  @TemplateData
  public record Candidate(
      String campaign, String probability, String priority, String channel, boolean heldOut) {}

  /** A campaign excluded at the decision's moment, with the reason as a code and in words. */
  @TemplateData
  public record ExclusionRow(String campaign, String code, String reason) {}

  /** An outcome that names a decision. */
  @TemplateData
  public record OutcomeRow(String type, String value, String occurredAt) {}

  /** A logged decision with its explanation, as the customer page shows it. */
  @TemplateData
  public record DecisionRow(
      String decisionId,
      String decidedAt,
      String campaign,
      String channel,
      String rule,
      String policyVersion,
      boolean control,
      String propensity,
      String expectedUplift,
      String runnerUp,
      String shadow,
      String sendAt,
      List<Candidate> candidates,
      List<ExclusionRow> exclusions,
      List<OutcomeRow> outcomes,
      String conversions) {}

  /** A page of a customer's decisions, newest first, and the cursor of the older ones. */
  @TemplateData
  public record Decisions(List<DecisionRow> items, String next) {}

  /** The customer's latest decisions (decision-service), ten at a time. */
  public Uni<Decisions> decisions(String token, String id, String before) {
    String q =
        "?customerId="
            + query(id)
            + "&limit=10"
            + (before == null || before.isBlank() ? "" : "&before=" + query(before));
    return client
        .get(Service.DECISION, "/api/v1/decisions" + q, token)
        .map(CustomerService::decisions);
  }

  /** A page of decisions' JSON as the customer page shows it (public for the contract test). */
  public static Decisions decisions(JsonNode page) {
    List<DecisionRow> rows = new ArrayList<>();
    for (JsonNode d : page.path("items")) {
      JsonNode policy = d.path("features").path("policy");
      List<Candidate> candidates = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      d.path("candidates").forEach(c -> ids.add(c.asText()));
      ids.add("none");
      java.util.Set<String> controls = new java.util.HashSet<>();
      policy.path("controls").forEach(c -> controls.add(c.asText()));
      for (String c : ids) {
        JsonNode p = policy.path("probabilities").path(c);
        JsonNode priority = policy.path("priorities").path(c);
        candidates.add(
            new Candidate(
                c,
                p.isNumber() ? String.format(Locale.ROOT, "%.3f", p.asDouble()) : "–",
                priority.isNumber()
                    ? "manual " + priority.asInt()
                    : c.equals("none") ? "–" : "auto",
                policy.path("channels").path(c).asText("–"),
                controls.contains(c)));
      }
      List<ExclusionRow> exclusions = new ArrayList<>();
      for (JsonNode x : policy.path("exclusions")) {
        exclusions.add(
            new ExclusionRow(
                x.path("campaignId").asText(""),
                x.path("code").asText("–"),
                x.path("reason").asText("")));
      }
      List<OutcomeRow> outcomes = new ArrayList<>();
      for (JsonNode o : d.path("outcomes")) {
        outcomes.add(
            new OutcomeRow(
                o.path("type").asText(""),
                o.path("value").isNumber()
                    ? String.format(Locale.ROOT, "%.2f", o.path("value").asDouble())
                    : "–",
                o.path("occurredAt").asText("")));
      }
      rows.add(
          new DecisionRow(
              d.path("decisionId").asText(""),
              d.path("decidedAt").asText(""),
              d.path("campaignId").isTextual() ? d.path("campaignId").asText() : "none",
              d.path("channel").asText("–"),
              d.path("rule").asText(""),
              d.path("policyVersion").asText(""),
              d.path("control").asBoolean(),
              String.format(Locale.ROOT, "%.3f", d.path("propensity").asDouble()),
              policy.path("upliftSd").isNumber()
                  ? String.format(
                      Locale.ROOT,
                      "%+.3f ± %.3f",
                      policy.path("upliftMean").asDouble(),
                      policy.path("upliftSd").asDouble())
                  : "–",
              policy.path("runnerUp").isTextual()
                  ? String.format(
                      Locale.ROOT,
                      "%s (%+.3f)",
                      policy.path("runnerUp").asText(),
                      policy.path("runnerUpUplift").asDouble())
                  : "–",
              policy.path("shadow").asText("–"),
              policy.path("sendAt").asText("–"),
              candidates,
              exclusions,
              outcomes,
              String.format(
                  Locale.ROOT,
                  "%d worth %.2f within %d days",
                  d.path("conversions").asInt(),
                  d.path("conversionValue").asDouble(),
                  d.path("windowDays").asInt())));
    }
    JsonNode next = page.path("next");
    return new Decisions(rows, next.isTextual() ? next.asText() : null);
  }

  /** A page of customer ids after {@code after} (profile-service's cursor). */
  public Uni<Map<String, Object>> ids(String token, String after, int limit) {
    String q =
        "?limit=" + limit + (after == null || after.isBlank() ? "" : "&after=" + query(after));
    return client.get(Service.PROFILE, "/api/v1/profiles" + q, token).map(this::plain);
  }

  /** Everything profile-service holds on the customer (admin only). */
  public Uni<byte[]> export(String token, String id) {
    return client.download(Service.PROFILE, "/api/v1/profiles/" + segment(id) + "/export", token);
  }

  /** Erases the customer everywhere (admin only; profile-service announces it to the others). */
  public Uni<JsonNode> erase(String token, String id) {
    return client.delete(Service.PROFILE, "/api/v1/profiles/" + segment(id), token);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> plain(JsonNode node) {
    return node.isObject()
        ? json.convertValue(node, LinkedHashMap.class)
        : Map.of("items", List.of());
  }
}
