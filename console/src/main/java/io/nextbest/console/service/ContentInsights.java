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
import java.util.TreeSet;

/**
 * Templates as content-service keeps them: per placement with their variants × locales, each
 * variant's statistics with the Beta posterior of its rates, the daily allocation between variants
 * (a chart), and a preview rendered for a chosen customer.
 */
@ApplicationScoped
public class ContentInsights {
  private final ServiceClient client;
  private final ObjectMapper json;

  public ContentInsights(ServiceClient client, ObjectMapper json) {
    this.client = client;
    this.json = json;
  }

  /** A template in the list: its variants, each with the locales it is written in. */
  @TemplateData
  public record Template(
      long id,
      String placement,
      String campaignId,
      String optimizeFor,
      String defaultLocale,
      int version,
      List<Variant> variants) {
    /** Every locale some variant is written in, in tag order. */
    public List<String> locales() {
      TreeSet<String> all = new TreeSet<>();
      variants.forEach(v -> all.addAll(v.locales()));
      return List.copyOf(all);
    }
  }

  /** A variant and its locales. */
  @TemplateData
  public record Variant(String id, List<String> locales) {}

  /** A variant's statistics, rates with their posterior mean and 95% credible interval. */
  @TemplateData
  public record VariantStats(
      String variantId,
      long impressions,
      long clicks,
      long conversions,
      String clickRate,
      String conversionRate) {}

  /** The daily allocation: a chart's JSON and the same figures as table rows. */
  @TemplateData
  public record Allocation(
      String from, String to, int days, String chart, List<String> variants, List<DayRow> rows) {
    public boolean empty() {
      return rows.isEmpty();
    }
  }

  /** One day of the allocation: impressions per variant, in {@link Allocation#variants} order. */
  @TemplateData
  public record DayRow(String day, List<Long> impressions) {}

  /** A preview rendered by content-service. */
  @TemplateData
  public record Preview(
      String customerId,
      String variantId,
      String locale,
      Map<String, String> fields,
      String html,
      String error) {}

  /** Templates, optionally of one placement. */
  public Uni<List<Template>> templates(String token, String placement) {
    String q = placement == null ? "" : "?placement=" + query(placement);
    return client
        .get(Service.CONTENT, "/api/v1/templates" + q, token)
        .map(
            list -> {
              List<Template> out = new ArrayList<>();
              for (JsonNode t : list) {
                out.add(template(t));
              }
              return out;
            });
  }

  /** One template. */
  public Uni<Template> template(String token, long id) {
    return client
        .get(Service.CONTENT, "/api/v1/templates/" + id, token)
        .map(ContentInsights::template);
  }

  static Template template(JsonNode t) {
    List<Variant> variants = new ArrayList<>();
    for (JsonNode v : t.path("variants")) {
      List<String> locales = new ArrayList<>();
      v.path("locales").fieldNames().forEachRemaining(locales::add);
      variants.add(new Variant(v.path("id").asText(), locales));
    }
    return new Template(
        t.path("id").asLong(),
        t.path("placement").asText(),
        t.hasNonNull("campaignId") ? t.path("campaignId").asText() : null,
        t.path("optimizeFor").asText("click"),
        t.path("defaultLocale").asText("en"),
        t.path("version").asInt(),
        variants);
  }

  /** A template's variant statistics. */
  public Uni<List<VariantStats>> stats(String token, long id) {
    return client
        .get(Service.CONTENT, "/api/v1/templates/" + id + "/stats", token)
        .map(
            list -> {
              List<VariantStats> out = new ArrayList<>();
              for (JsonNode s : list) {
                long shown = s.path("impressions").asLong();
                out.add(
                    new VariantStats(
                        s.path("variantId").asText(),
                        shown,
                        s.path("clicks").asLong(),
                        s.path("conversions").asLong(),
                        rate(s.path("clickPosterior")),
                        rate(s.path("conversionPosterior"))));
              }
              return out;
            });
  }

  /** "4.10% (95%: 3.20% to 5.10%)" from a posterior {mean, low, high}. */
  static String rate(JsonNode p) {
    if (p.isMissingNode() || p.isNull()) {
      return "–";
    }
    return String.format(
        Locale.ROOT,
        "%.2f%% (95%%: %.2f%% to %.2f%%)",
        100 * p.path("mean").asDouble(),
        100 * p.path("low").asDouble(),
        100 * p.path("high").asDouble());
  }

  /** The daily impressions per variant over the last {@code days} days. */
  public Uni<Allocation> allocation(String token, long id, int days) {
    return client
        .get(Service.CONTENT, "/api/v1/templates/" + id + "/daily?days=" + days, token)
        .map(a -> allocation(a, days));
  }

  Allocation allocation(JsonNode a, int days) {
    TreeSet<String> variantIds = new TreeSet<>();
    Map<String, Map<String, Long>> byDay = new LinkedHashMap<>();
    for (JsonNode d : a.path("days")) {
      String variant = d.path("variantId").asText();
      variantIds.add(variant);
      byDay
          .computeIfAbsent(d.path("day").asText(), k -> new LinkedHashMap<>())
          .put(variant, d.path("impressions").asLong());
    }
    List<String> variants = List.copyOf(variantIds);
    ObjectNode chart = json.createObjectNode();
    ArrayNode x = chart.putArray("days");
    ArrayNode series = chart.putArray("series");
    List<ArrayNode> values = new ArrayList<>();
    for (String v : variants) {
      ObjectNode s = series.addObject();
      s.put("label", "variant " + v);
      values.add(s.putArray("values"));
    }
    List<DayRow> rows = new ArrayList<>();
    byDay.forEach(
        (day, counts) -> {
          x.add(day);
          List<Long> row = new ArrayList<>();
          for (int i = 0; i < variants.size(); i++) {
            long n = counts.getOrDefault(variants.get(i), 0L);
            values.get(i).add(n);
            row.add(n);
          }
          rows.add(new DayRow(day, row));
        });
    return new Allocation(
        a.path("from").asText(""), a.path("to").asText(""), days, chart.toString(), variants, rows);
  }

  /** The template rendered for a customer, without any side effect in content-service. */
  public Uni<Preview> preview(
      String token, long id, String customerId, String variant, String locale) {
    StringBuilder q = new StringBuilder("?customerId=").append(query(customerId));
    if (variant != null) {
      q.append("&variant=").append(query(variant));
    }
    if (locale != null) {
      q.append("&locale=").append(query(locale));
    }
    return client
        .get(Service.CONTENT, "/api/v1/templates/" + id + "/preview" + q, token)
        .map(
            p -> {
              Map<String, String> fields = new LinkedHashMap<>();
              p.path("fields")
                  .fields()
                  .forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
              return new Preview(
                  p.path("customerId").asText(customerId),
                  p.path("variantId").asText(),
                  p.path("locale").asText(),
                  fields,
                  p.path("html").asText(""),
                  p.hasNonNull("error") ? p.path("error").asText() : null);
            });
  }
}
