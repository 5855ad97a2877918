package io.nextbest.tools.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends malformed and hostile requests to every operation a service publishes in its OpenAPI
 * document: broken and truncated JSON, wrong types in every field, huge payloads, deep nesting,
 * unicode edge cases, out-of-range numbers, injection strings in path and query parameters, and CEL
 * and Qute injection in every text field (rules and templates). Every answer must be below 500;
 * every error must be an RFC 9457 problem whose detail says what to fix; no answer may leak a Java
 * class, a stack trace or a file's content.
 *
 * <pre>
 * BadInputCommand http://127.0.0.1:8081 http://127.0.0.1:8082 …
 * </pre>
 */
public final class BadInputCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}/]+)}");
  private static final Pattern LEAK =
      Pattern.compile(
          "root:x:0:0|uid=\\d+\\(|\\bat (java|io|org|com)\\.[\\w.$]+\\(|java\\.lang\\.\\w+Exception"
              + "|NullPointerException|ClassCastException"
              // the database's own words
              + "|invalid byte sequence|numeric field overflow|SQLSTATE|duplicate key value"
              + "|org\\.postgresql|pgclient");

  /** Strings that must never do more than be stored or refused. */
  static final List<String> HOSTILE =
      List.of(
          "../../../../etc/passwd",
          "' OR '1'='1'; DROP TABLE customers; --",
          "${jndi:ldap://127.0.0.1:1/x}",
          "<script>alert(1)</script>",
          "\u0000nul",
          "\u202eevil\u202c",
          "😀𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﷽ 🏳️‍🌈",
          "\uFEFFbom",
          "a".repeat(2_000),
          // over the URL limit in a path or query: a 414 problem document, not a bare status
          "u".repeat(10_000));

  /** Expressions aimed at the CEL rule engines: none may reach Java classes, files or network. */
  static final List<String> CEL_INJECTION =
      List.of(
          "java.lang.Runtime.getRuntime().exec('id') != null",
          "profile.getClass().forName('java.lang.System').exit(1)",
          "T(java.lang.System).getenv()",
          "'x'.matches('(a+)+$' + 'a'.repeat(100000))",
          "size(profile) > 0 && (",
          "[1,2,3].map(x, [x, x, x, x]).map(y, [y, y, y]).size() > 0 || " + "(".repeat(500));

  /** Expressions aimed at the Qute template engine. */
  static final List<String> QUTE_INJECTION =
      List.of(
          "{#include /etc/passwd /}",
          "{config:quarkus.datasource.password}",
          "{inject:vertx}",
          "{profile.getClass().forName('java.lang.Runtime')}",
          "{#eval 'x' /}",
          "{profile.name.raw}",
          "{#for i in 1000000000}{i}{/for}",
          "{");

  /** Numbers outside what any field accepts. */
  static final List<String> NUMBERS =
      List.of("1e400", "-1e400", "123456789012345678901234567890", "-1", "NaN", "0.0000001");

  /** What was sent and what came back, for a violation. */
  public record Violation(String request, int status, String problem) {
    @Override
    public String toString() {
      return request + " → " + status + ": " + problem;
    }
  }

  /** Totals of a run. */
  public record Report(
      int operations,
      int requests,
      Map<Integer, Integer> statuses,
      List<Violation> violations,
      Map<String, Long> millisByOperation) {

    /** The operations that took longest to answer their bad input, slowest first. */
    public List<String> slowest(int n) {
      return millisByOperation.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(n)
          .map(e -> e.getKey() + " " + e.getValue() + " ms")
          .toList();
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Map<Integer, Integer> statuses = new LinkedHashMap<>();
  private final List<Violation> violations = new ArrayList<>();
  private final Map<String, Long> millis = new LinkedHashMap<>();
  private final Set<String> hugeSentTo = new HashSet<>();
  private final String token;
  private final String siteKey;
  private int requests;
  private int operations;

  /**
   * Sends the token in {@code NEXTBEST_TOKEN} and the site key in {@code NEXTBEST_SITE_KEY}, if
   * set, so protected operations see the input.
   */
  public BadInputCommand() {
    this(System.getenv("NEXTBEST_TOKEN"), System.getenv("NEXTBEST_SITE_KEY"));
  }

  /**
   * Sends this bearer token (admin and marketer roles reach every operation) and this frontend site
   * key; either may be null.
   */
  public BadInputCommand(String token, String siteKey) {
    this.token = token == null || token.isBlank() ? null : token;
    this.siteKey = siteKey == null || siteKey.isBlank() ? null : siteKey;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: BadInputCommand <service base url>...");
      System.exit(2);
    }
    Report report = new BadInputCommand().run(List.of(args));
    System.out.println(
        JSON.writeValueAsString(
            Map.of(
                "operations",
                report.operations(),
                "requests",
                report.requests(),
                "statuses",
                report.statuses(),
                "violations",
                report.violations().stream().map(Violation::toString).toList(),
                "slowest",
                report.slowest(10))));
    System.exit(report.violations().isEmpty() ? 0 : 1);
  }

  /** Attacks every operation of every service; returns what was sent and any violations. */
  public Report run(List<String> baseUrls) throws IOException, InterruptedException {
    List<Runnable> plan = new ArrayList<>();
    for (String base : baseUrls) {
      JsonNode api = openApi(base);
      JsonNode schemas = api.path("components").path("schemas");
      for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields();
          paths.hasNext(); ) {
        Map.Entry<String, JsonNode> p = paths.next();
        if (p.getKey().startsWith("/q/")) {
          continue;
        }
        for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
          Map.Entry<String, JsonNode> op = ops.next();
          String method = op.getKey().toUpperCase(Locale.ROOT);
          if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
            continue;
          }
          operations++;
          String name = method + " " + base + p.getKey();
          plan.add(
              () -> {
                long t0 = System.nanoTime();
                attack(base, p.getKey(), method, op.getValue(), schemas);
                millis.put(name, (System.nanoTime() - t0) / 1_000_000);
              });
        }
      }
    }
    for (String base : baseUrls) {
      String title = openApi(base).path("info").path("title").asText("");
      plan.add(() -> trustChecks(base, title));
    }
    ProgressLine progress = new ProgressLine("bad input");
    for (int i = 0; i < plan.size(); i++) {
      plan.get(i).run();
      progress.update((i + 1) / (double) plan.size(), requests, "requests");
    }
    progress.finish(requests, "requests");
    return new Report(operations, requests, statuses, violations, millis);
  }

  /**
   * The trust boundaries each service must keep, by its OpenAPI title: personal data, identity
   * merges, events and eligibility answers need a token; ids with control characters and over-long
   * URLs are problems; unbounded inputs (a 2 MB trait, a conversion of 1.8e308, a loop bomb in a
   * template, a rule over a field no profile has) are refused where they enter.
   */
  private void trustChecks(String base, String title) {
    if (title.contains("profile-service")) {
      expect(base, "GET", "/api/v1/profiles/trust-probe", null, false, 401);
      expect(
          base,
          "POST",
          "/api/v1/events",
          "{\"events\":[{\"eventId\":\"trust-1\",\"customerId\":\"trust-probe\","
              + "\"type\":\"view\"}]}",
          false,
          401);
      expect(
          base,
          "POST",
          "/api/v1/profiles/trust-probe/aliases",
          "{\"alias\":\"victim\"}",
          false,
          401);
      expect(base, "GET", "/api/v1/profiles/a%00b", null, true, 400);
      expect(base, "GET", "/api/v1/profiles/" + "u".repeat(10_000), null, true, 414);
      expect(
          base,
          "PUT",
          "/api/v1/profiles/trust-probe-traits",
          "{\"attributes\":{\"traits\":{\"blob\":\"" + "x".repeat(2_000_000) + "\"}}}",
          true,
          400);
    } else if (title.contains("eligibility-service")) {
      expect(base, "GET", "/api/v1/eligibility/trust-probe", null, false, 401);
      expect(
          base,
          "POST",
          "/api/v1/campaigns/validate",
          "{\"id\":\"trust-probe\",\"name\":\"Trust probe\",\"channels\":[\"email\"],"
              + "\"priority\":1,\"trigger\":{\"type\":\"realtime\"},"
              + "\"rule\":\"features.nope == 1\"}",
          true,
          400);
      // loops inside loops are over the rules' evaluation budget, refused when saved
      expect(
          base,
          "POST",
          "/api/v1/campaigns/validate",
          "{\"id\":\"trust-probe\",\"name\":\"Trust probe\",\"channels\":[\"email\"],"
              + "\"priority\":1,\"trigger\":{\"type\":\"realtime\"},\"rule\":"
              + "\"segments.exists(a, segments.exists(b, segments.exists(c, a == b && b == c)))\"}",
          true,
          400);
    } else if (title.contains("content-service")) {
      expect(base, "GET", "/api/v1/recommendations/trust-probe", null, false, 401);
      expect(
          base,
          "POST",
          "/api/v1/content/events",
          "{\"id\":\"trust-1\",\"type\":\"conversion\",\"decisionId\":\"d\","
              + "\"customerId\":\"trust-probe\",\"value\":1.8e308}",
          true,
          400);
      // a click on a decision whose content was never shown to this customer credits nothing
      expect(
          base,
          "POST",
          "/api/v1/content/events",
          "{\"id\":\"trust-2\",\"type\":\"click\",\"decisionId\":\"d:not-yours\","
              + "\"customerId\":\"trust-probe\"}",
          true,
          400);
      expect(
          base,
          "POST",
          "/api/v1/templates/validate",
          "{\"placement\":\"home-hero\",\"variants\":[{\"id\":\"a\",\"locales\":{\"en\":"
              + "{\"headline\":\"{#for i in 1000000}{#for j in 1000000}x{/for}{/for}\","
              + "\"body\":\"b\",\"cta\":\"c\",\"url\":\"/\"}}}]}",
          true,
          400);
    }
  }

  private void expect(
      String base, String method, String path, String body, boolean credentials, int status) {
    sendBytes(
        base,
        method,
        path,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        "application/json",
        credentials,
        status);
  }

  private JsonNode openApi(String base) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(base + "/q/openapi answered " + r.statusCode());
    }
    return JSON.readTree(r.body());
  }

  private void attack(String base, String template, String method, JsonNode op, JsonNode schemas) {
    List<String> pathParams = new ArrayList<>();
    Matcher m = PATH_PARAM.matcher(template);
    while (m.find()) {
      pathParams.add(m.group(1));
    }
    List<JsonNode> queryParams = new ArrayList<>();
    for (JsonNode param : op.path("parameters")) {
      if ("query".equals(param.path("in").asText())) {
        queryParams.add(param);
      }
    }
    String probePath = fill(template, pathParams, null, null);
    JsonNode bodySchema =
        op.path("requestBody").path("content").path("application/json").path("schema");
    boolean hasBody = !bodySchema.isMissingNode();
    String validBody = hasBody ? skeleton(bodySchema, schemas, 0).toString() : null;

    // hostile path parameters
    for (String param : pathParams) {
      for (String value : HOSTILE) {
        send(base, method, fill(template, pathParams, param, value), validBody, "application/json");
      }
    }
    // hostile and out-of-range query parameters
    for (JsonNode q : queryParams) {
      String name = q.path("name").asText();
      List<String> values = new ArrayList<>(HOSTILE);
      values.addAll(NUMBERS);
      values.addAll(List.of("", "abc", "true", "2026-13-45T99:99:99Z"));
      for (String value : values) {
        String url = probePath + "?" + enc(name) + "=" + enc(value);
        send(base, method, url, validBody, "application/json");
      }
    }
    if (!hasBody) {
      return;
    }
    // malformed bodies
    List<String> bodies = new ArrayList<>();
    bodies.addAll(
        List.of(
            "",
            "{",
            "{\"a\":",
            "[1,2",
            "not json",
            "null",
            "[]",
            "\"text\"",
            "42",
            "{\"a\":1,}",
            "{'single':'quotes'}",
            "\uFEFF" + validBody,
            "{\"x\":\"\\ud800\"}",
            "[".repeat(5_000) + "]".repeat(5_000),
            "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000)));
    if (hugeSentTo.add(base)) {
      // over the request size limit: once per service
      bodies.add("{\"huge\":\"" + "x".repeat(12 * 1024 * 1024) + "\"}");
    }
    // every field with a wrong type, an out-of-range number or a hostile string
    JsonNode valid = parse(validBody);
    for (String field : valid.isObject() ? fieldPaths(valid, "") : List.<String>of()) {
      List<JsonNode> replacements = new ArrayList<>();
      replacements.add(NODES.textNode("not-a-number-or-" + field));
      replacements.add(NODES.numberNode(-1));
      replacements.add(NODES.objectNode().put("nested", true));
      replacements.add(NODES.arrayNode().add(1).add("two"));
      replacements.add(NODES.booleanNode(true));
      replacements.add(NODES.nullNode());
      for (String s : HOSTILE) {
        replacements.add(NODES.textNode(s));
      }
      for (String s : CEL_INJECTION) {
        replacements.add(NODES.textNode(s));
      }
      for (String s : QUTE_INJECTION) {
        replacements.add(NODES.textNode(s));
      }
      for (JsonNode r : replacements) {
        bodies.add(replace(valid, field, r).toString());
      }
      for (String n : NUMBERS) {
        // raw number literals (1e400 is not representable as a Java double)
        bodies.add(
            replace(valid, field, NODES.textNode("@@N@@")).toString().replace("\"@@N@@\"", n));
      }
    }
    if (valid.isObject()) {
      ObjectNode unknown = (ObjectNode) valid.deepCopy();
      unknown.put("unknownField" + Math.abs(template.hashCode()), 1);
      bodies.add(unknown.toString());
    }
    bodies.add("{\"big\":\"" + "x".repeat(900_000) + "\"}");
    for (String body : bodies) {
      send(base, method, probePath, body, "application/json");
    }
    // invalid UTF-8 and the wrong media type
    sendBytes(
        base,
        method,
        probePath,
        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'},
        "application/json");
    send(base, method, probePath, validBody, "text/plain");
    send(base, method, probePath, "<xml/>", "application/xml");
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String fill(String template, List<String> params, String target, String value) {
    String path = template;
    for (String p : params) {
      String v = p.equals(target) ? enc(value).replace("+", "%20") : "probe-" + p;
      path = path.replace("{" + p + "}", v);
    }
    return path;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A request body the schema would accept in shape, with placeholder values. */
  static JsonNode skeleton(JsonNode schema, JsonNode schemas, int depth) {
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      JsonNode target = schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
      return depth > 5 ? NODES.objectNode() : skeleton(target, schemas, depth + 1);
    }
    if (schema.has("allOf")) {
      return skeleton(schema.get("allOf").get(0), schemas, depth + 1);
    }
    if (schema.has("enum")) {
      return schema.get("enum").get(0);
    }
    String type = schema.path("type").asText(schema.has("properties") ? "object" : "string");
    return switch (type) {
      case "object" -> {
        ObjectNode o = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> f = it.next();
          if (depth < 6) {
            o.set(f.getKey(), skeleton(f.getValue(), schemas, depth + 1));
          }
        }
        yield o;
      }
      case "array" -> {
        ArrayNode a = NODES.arrayNode();
        if (depth < 6) {
          a.add(skeleton(schema.path("items"), schemas, depth + 1));
        }
        yield a;
      }
      case "integer" -> NODES.numberNode(1);
      case "number" -> NODES.numberNode(1.5);
      case "boolean" -> NODES.booleanNode(true);
      default ->
          switch (schema.path("format").asText("")) {
            case "date-time" -> NODES.textNode("2026-01-01T00:00:00Z");
            case "date" -> NODES.textNode("2000-02-29");
            default -> NODES.textNode("probe");
          };
    };
  }

  /** Dotted paths of every leaf and container under an object (array elements as [0]). */
  static List<String> fieldPaths(JsonNode node, String prefix) {
    List<String> out = new ArrayList<>();
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
        out.add(path);
        out.addAll(fieldPaths(f.getValue(), path));
      }
    } else if (node.isArray() && node.size() > 0) {
      out.addAll(fieldPaths(node.get(0), prefix + "[0]"));
    }
    return out;
  }

  /** A copy of {@code root} with the value at {@code path} replaced. */
  static JsonNode replace(JsonNode root, String path, JsonNode value) {
    JsonNode copy = root.deepCopy();
    JsonNode parent = copy;
    String[] steps = path.replace("[0]", ".[0]").split("\\.");
    for (int i = 0; i < steps.length - 1; i++) {
      parent = steps[i].equals("[0]") ? parent.get(0) : parent.get(steps[i]);
    }
    String last = steps[steps.length - 1];
    if (last.equals("[0]")) {
      ((ArrayNode) parent).set(0, value);
    } else {
      ((ObjectNode) parent).set(last, value);
    }
    return copy;
  }

  private void send(String base, String method, String path, String body, String contentType) {
    sendBytes(
        base,
        method,
        path,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        contentType);
  }

  private void sendBytes(String base, String method, String path, byte[] body, String type) {
    sendBytes(base, method, path, body, type, true, -1);
  }

  /**
   * Sends one request, with or without the token (the site key goes with the token); {@code
   * expected} ≥ 0 is the status the answer must have.
   */
  private void sendBytes(
      String base,
      String method,
      String path,
      byte[] body,
      String type,
      boolean credentials,
      int expected) {
    String label =
        method
            + " "
            + base
            + abbreviate(path)
            + (body == null ? "" : " " + abbreviate(new String(body, StandardCharsets.UTF_8)));
    requests++;
    HttpResponse<String> r;
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
      HttpRequest.BodyPublisher publisher =
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body);
      if (body != null) {
        b.header("Content-Type", type);
      }
      if (token != null && credentials) {
        b.header("Authorization", "Bearer " + token);
      }
      if (siteKey != null && credentials) {
        b.header("X-NextBest-Key", siteKey);
      }
      r = http.send(b.method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | IllegalArgumentException e) {
      violations.add(new Violation(label, 0, "no answer: " + e));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    int status = r.statusCode();
    statuses.merge(status, 1, Integer::sum);
    String problem = check(status, r.headers().firstValue("Content-Type").orElse(""), r.body());
    if (problem == null && expected >= 0 && status != expected) {
      problem = "expected " + expected + (credentials ? "" : " without credentials");
    }
    if (problem != null) {
      violations.add(new Violation(label, status, problem));
    }
  }

  /** What is wrong with an answer, or null. */
  static String check(int status, String contentType, String body) {
    if (status >= 500) {
      return "server error " + abbreviate(body);
    }
    if (LEAK.matcher(body).find()) {
      return "leaks internals: " + abbreviate(body);
    }
    if (status < 400) {
      return null;
    }
    if (!contentType.startsWith("application/problem+json")) {
      return "error is not application/problem+json but '" + contentType + "': " + abbreviate(body);
    }
    try {
      JsonNode p = JSON.readTree(body);
      if (p.path("status").asInt() != status) {
        return "problem status " + p.path("status") + " differs from " + status;
      }
      if (p.path("title").asText("").isBlank() || p.path("detail").asText("").length() < 10) {
        return "problem without a title or a detail that says what to fix: " + abbreviate(body);
      }
    } catch (IOException e) {
      return "problem body is not JSON: " + abbreviate(body);
    }
    return null;
  }

  private static String abbreviate(String s) {
    String flat = s.replaceAll("\\s+", " ");
    return flat.length() <= 160 ? flat : flat.substring(0, 160) + "…(" + flat.length() + " chars)";
  }
}
