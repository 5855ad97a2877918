package io.nextbest.console;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The answers of content-, profile- and eligibility-service behind the Content, Segments and
 * Campaign dry-run pages, served by {@link FakeServices} for the paths it does not answer itself:
 * canned answers carrying attacker-controlled text (template, variant, segment and customer names,
 * a rendered preview with a script). Template 13 and segment {@code down} answer 503, as a service
 * that is down. The query strings received are kept in {@link #QUERIES}.
 */
final class FakeInsightServices {
  static final String SCRIPT = FakeServices.SCRIPT;
  static final String EVIL = SCRIPT.replace("'", "\\u0027");
  static final List<String> QUERIES = new CopyOnWriteArrayList<>();

  private FakeInsightServices() {}

  private static final String TEMPLATE =
      "{\"id\":7,\"campaignId\":\""
          + EVIL
          + "\",\"placement\":\"home-hero\",\"optimizeFor\":\"click\",\"defaultLocale\":\"en\","
          + "\"version\":4,\"variants\":[{\"id\":\"a\",\"locales\":{\"en\":{\"headline\":\"Hi\"},"
          + "\"es\":{\"headline\":\"Hola\"}}},{\"id\":\"b\",\"locales\":{\"en\":{\"headline\":"
          + "\"Yo\"}}}]}";

  /** Answers the call if it is one of these services' paths; false when it is not. */
  static boolean answer(HttpExchange x) throws IOException {
    String method = x.getRequestMethod();
    String path = x.getRequestURI().getRawPath();
    String query = x.getRequestURI().getRawQuery();
    if (query != null) {
      QUERIES.add(method + " " + path + "?" + query);
    }
    if (path.startsWith("/api/v1/templates/13") || path.startsWith("/api/v1/segments/down/")) {
      send(x, 503, "{\"status\":503,\"detail\":\"down\"}");
      return true;
    }
    switch (method + " " + path) {
      case "GET /api/v1/templates" -> send(x, 200, "[" + TEMPLATE + "]");
      case "GET /api/v1/templates/7" -> send(x, 200, TEMPLATE);
      case "GET /api/v1/templates/7/stats" ->
          send(
              x,
              200,
              "[{\"variantId\":\"a\",\"impressions\":100,\"clicks\":10,\"conversions\":2,"
                  + "\"clickPosterior\":{\"mean\":0.10784,\"low\":0.055637,\"high\":0.174553},"
                  + "\"conversionPosterior\":{\"mean\":0.0294,\"low\":0.0061,\"high\":0.0697}}]");
      case "GET /api/v1/templates/7/daily" ->
          send(
              x,
              200,
              "{\"templateId\":7,\"from\":\"2026-11-04\",\"to\":\"2026-12-03\",\"days\":["
                  + "{\"day\":\"2026-12-01\",\"variantId\":\"a\",\"impressions\":40,\"clicks\":4,"
                  + "\"conversions\":1},{\"day\":\"2026-12-01\",\"variantId\":\""
                  + EVIL
                  + "\",\"impressions\":10,\"clicks\":0,\"conversions\":0},"
                  + "{\"day\":\"2026-12-02\",\"variantId\":\"a\",\"impressions\":55,\"clicks\":6,"
                  + "\"conversions\":1}]}");
      case "GET /api/v1/templates/7/preview" -> {
        if (query != null && query.contains("customerId=nobody")) {
          send(x, 404, "{\"status\":404,\"detail\":\"No customer 'nobody'.\"}");
        } else {
          send(
              x,
              200,
              "{\"templateId\":7,\"customerId\":\"mallory\",\"variantId\":\"a\",\"locale\":\"es\","
                  + "\"fields\":{\"headline\":\""
                  + EVIL
                  + "\"},\"html\":\"<section class=\\\"nb-content\\\"><h2>Hola</h2>"
                  + EVIL
                  + "</section>\",\"error\":null}");
        }
      }
      case "GET /api/v1/segments" ->
          send(
              x,
              200,
              "[{\"id\":\"vip\",\"name\":\""
                  + EVIL
                  + "\",\"kind\":\"rule\",\"rule\":\"features.frequency > 3\",\"members\":42},"
                  + "{\"id\":\"loyal\",\"name\":\"Loyal\",\"kind\":\"cluster\",\"description\":"
                  + "\"Frequent buyers\",\"members\":400}]");
      case "GET /api/v1/admin/segment-model" ->
          send(
              x,
              200,
              "{\"version\":3,\"fittedAt\":\"2026-12-02T03:00:00Z\",\"customers\":1000,"
                  + "\"centroids\":[{\"segment\":\"loyal\",\"size\":400,\"typical\":{"
                  + "\"recencyDays\":40.2,\"frequency\":2.1,\"averageOrderValue\":25,"
                  + "\"tenureDays\":400,\"clv12m\":80.4,\"probabilityAlive\":0.9}}]}");
      case "GET /api/v1/segments/vip/history" ->
          send(
              x,
              200,
              "{\"segmentId\":\"vip\",\"from\":\"2026-11-04\",\"to\":\"2026-12-03\",\"days\":["
                  + "{\"day\":\"2026-12-02\",\"members\":40},{\"day\":\"2026-12-03\",\"members\":42}]}");
      case "GET /api/v1/segments/vip/members" ->
          send(
              x,
              200,
              "{\"segmentId\":\"vip\",\"total\":42,\"members\":[{\"customerId\":\""
                  + EVIL
                  + "\"},{\"customerId\":\"c-25\"}],\"next\":\"c-25\",\"reevaluating\":false}");
      case "POST /api/v1/campaigns/dry-run" ->
          send(
              x,
              200,
              "{\"audience\":\"all customers\",\"scanned\":100,\"complete\":true,\"eligible\":2,"
                  + "\"control\":0,\"excluded\":{\"rule is false\":98},\"examples\":[\"alice\",\""
                  + EVIL
                  + "\"]}");
      default -> {
        return false;
      }
    }
    return true;
  }

  private static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      x.getResponseBody().write(b);
    }
    x.close();
  }
}
