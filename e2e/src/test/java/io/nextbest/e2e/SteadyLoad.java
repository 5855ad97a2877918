package io.nextbest.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.testing.TestJwt;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A steady, bounded load of events, decisions and outcomes with exact counts, for the fault tests.
 * Clients retry what was refused with the same ids, as a real client would. Every customer has
 * e-mail consent and one e-mail campaign capped at one send in 30 days competes with the others.
 * {@link #verify} then checks that nothing accepted is missing or counted twice — every customer's
 * purchase count and revenue equal what was accepted, every accepted decision is in the decision
 * log and every accepted outcome is joined to its decision once — that the frequency caps agree
 * with the sends, and that every service is ready again.
 */
final class SteadyLoad {
  static final ObjectMapper JSON = new ObjectMapper();

  private final NextBestSystem system;
  private final Function<String, String> target;
  private final String prefix;
  private final String campaign;
  private final int customers;
  private final int eventPauseMs;

  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  // what the clients sent and what the services acknowledged
  final Map<String, long[]> expected = new ConcurrentHashMap<>(); // customer → {purchases, cents}
  final AtomicLong eventsAccepted = new AtomicLong();
  final AtomicLong eventsRetried = new AtomicLong();
  final Set<String> decisions = ConcurrentHashMap.newKeySet();
  final AtomicLong decisionsRefused = new AtomicLong();
  final AtomicLong decisionsUnanswered = new AtomicLong();
  final Set<String> outcomes = ConcurrentHashMap.newKeySet();
  final AtomicLong outcomesRetried = new AtomicLong();
  final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());

  /**
   * @param target the base URL the load calls for a service, asked again for every call (so a
   *     caller may spread calls over replicas); checks read through {@link NextBestSystem#url}
   * @param prefix of this load's customer, event and campaign ids, unique per run
   */
  SteadyLoad(
      NextBestSystem system,
      Function<String, String> target,
      String prefix,
      int customers,
      int eventPauseMs) {
    this.system = system;
    this.target = target;
    this.prefix = prefix;
    this.campaign = prefix + "-mail";
    this.customers = customers;
    this.eventPauseMs = eventPauseMs;
  }

  /** The load's customers and campaign, then its two client threads. */
  void start() {
    prepareCustomersAndCampaign();
    threads.add(new Thread(this::sendEvents, prefix + "-events"));
    threads.add(new Thread(this::decideAndConvert, prefix + "-decisions"));
    threads.forEach(Thread::start);
  }

  /** Stops the clients (each finishes the call it is retrying first). */
  void stop() throws InterruptedException {
    running.set(false);
    for (Thread th : threads) {
      th.join(120_000);
    }
  }

  /** The campaign goes: later test classes share these databases. */
  void deleteCampaign() {
    given().delete(system.url("eligibility") + "/api/v1/campaigns/{id}", campaign);
  }

  /** What was sent, found and each recovery time, printed and returned. */
  String report(Map<String, String> found, Map<String, Long> recovery) {
    StringBuilder report = new StringBuilder("\nrun " + prefix + "\n");
    report.append(
        String.format(
            "sent: %d purchase events accepted (%d batches retried), %d decisions answered"
                + " (%d refused, %d unanswered), %d outcomes accepted (%d retried)%n",
            eventsAccepted.get(),
            eventsRetried.get(),
            decisions.size(),
            decisionsRefused.get(),
            decisionsUnanswered.get(),
            outcomes.size(),
            outcomesRetried.get()));
    found.forEach((k, v) -> report.append("found: ").append(k).append(": ").append(v).append('\n'));
    recovery.forEach(
        (fault, ms) -> report.append(String.format("recovery: %-36s %6d ms%n", fault, ms)));
    System.out.print(report);
    return report.toString();
  }

  /** Every call answered 2xx or 503 (an outage), and each kind of call got through. */
  void assertAnswered() {
    assertThat(unexpected).as("answers other than 2xx or 503").isEmpty();
    assertThat(eventsAccepted.get()).isPositive();
    assertThat(decisions).isNotEmpty();
    assertThat(outcomes).isNotEmpty();
  }

  void progress(String fault) {
    System.out.printf(
        "fault: %-40s (so far %d events, %d decisions, %d outcomes accepted)%n",
        fault, eventsAccepted.get(), decisions.size(), outcomes.size());
  }

  String customer(int i) {
    return prefix + "-" + i;
  }

  /**
   * Every customer has e-mail consent; one e-mail campaign for this load's customers only, capped
   * at one send in 30 days (deleted afterwards: other tests share these databases).
   */
  private void prepareCustomersAndCampaign() {
    system.createCappedEmailCampaign(
        campaign, "Mail " + prefix, "attributes.name == '" + prefix + "'");
    for (int i = 0; i < customers; i++) {
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("attributes", Map.of("name", prefix)))
          .put(target.apply("profile") + "/api/v1/profiles/{id}", customer(i))
          .then()
          .statusCode(200);
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("granted", true, "source", "signup"))
          .put(target.apply("profile") + "/api/v1/profiles/{id}/consents/email", customer(i))
          .then()
          .statusCode(200);
      expected.put(customer(i), new long[2]);
    }
  }

  /** Batches of five purchases, then a pause; a refused batch is sent again, unchanged. */
  private void sendEvents() {
    long seq = 0;
    java.util.Random random = new java.util.Random(7);
    while (running.get()) {
      StringBuilder batch = new StringBuilder("{\"events\":[");
      Map<String, long[]> delta = new HashMap<>();
      for (int i = 0; i < 5; i++) {
        String c = customer(random.nextInt(customers));
        long cents = 100L * (1 + random.nextInt(50));
        String id = prefix + "-e" + seq++;
        batch
            .append(i == 0 ? "" : ",")
            .append(
                ("{\"eventId\":\"%s\",\"customerId\":\"%s\",\"type\":\"purchase\",\"properties\":"
                        + "{\"orderId\":\"%s\",\"amount\":%d,\"currency\":\"EUR\"}}")
                    .formatted(id, c, id, cents / 100));
        long[] d = delta.computeIfAbsent(c, k -> new long[2]);
        d[0]++;
        d[1] += cents;
      }
      batch.append("]}");
      int attempt = 0;
      while (true) {
        JsonNode r = post(target.apply("profile") + "/api/v1/events", batch.toString());
        if (r != null) {
          if (r.path("accepted").asInt(-1) + r.path("duplicates").asInt(0) != 5) {
            unexpected.add("a batch of 5 answered " + r);
          }
          break;
        }
        if (attempt++ == 0) {
          eventsRetried.incrementAndGet();
        }
        pause(250);
      }
      delta.forEach((c, d) -> expected.compute(c, (k, v) -> new long[] {v[0] + d[0], v[1] + d[1]}));
      eventsAccepted.addAndGet(5);
      pause(eventPauseMs);
    }
  }

  /**
   * A real-time e-mail decision every 100 ms, customers in turn; each answered decision converts
   * (whatever it chose: "none" and control decisions earn their organic conversions too), and its
   * outcome is posted until it is accepted.
   */
  private void decideAndConvert() {
    int i = 0;
    while (running.get()) {
      String c = customer(i++ % customers);
      JsonNode d =
          post(
              target.apply("decision") + "/api/v1/decisions",
              "{\"customerId\":\"" + c + "\",\"channel\":\"email\"}");
      if (d == null) {
        pause(250);
        continue;
      }
      String decisionId = d.path("decisionId").asText();
      decisions.add(decisionId);
      String outcome =
          ("{\"outcomes\":[{\"id\":\"o-%s\",\"type\":\"conversion\",\"customerId\":\"%s\","
                  + "\"decisionId\":\"%s\",\"value\":10}]}")
              .formatted(decisionId, c, decisionId);
      int attempt = 0;
      while (post(target.apply("decision") + "/api/v1/outcomes", outcome) == null) {
        if (attempt++ == 0) {
          outcomesRetried.incrementAndGet();
        }
        pause(250);
      }
      outcomes.add("o-" + decisionId);
      pause(100);
    }
  }

  private volatile String token;

  /** The backend's token (events, profiles and outcomes take one), signed once per run. */
  private String token() {
    if (token == null) {
      token = TestJwt.token("admin");
    }
    return token;
  }

  /** The JSON answer of a 2xx, or null for anything else (refusal, timeout, no connection). */
  private JsonNode post(String url, String body) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(5))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + token())
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) {
        return JSON.readTree(r.body());
      }
      if (url.endsWith("/decisions")) {
        decisionsRefused.incrementAndGet();
      }
      // an outage is a 503 (or the proxy's 502/504); anything else is a defect
      if (r.statusCode() != 503 && r.statusCode() != 502 && r.statusCode() != 504) {
        unexpected.add(url + " answered " + r.statusCode() + ": " + r.body());
      }
      return null;
    } catch (IOException e) {
      if (url.endsWith("/decisions")) {
        decisionsUnanswered.incrementAndGet();
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Waits for the system to settle, then compares: profile aggregates with the accepted purchases,
   * the decision log with the answered decisions, joined outcomes with the accepted ones, and each
   * customer's cap with its sends.
   */
  Map<String, String> verify() throws Exception {
    Map<String, String> found = new LinkedHashMap<>();
    system.awaitAll("/q/health/ready", 200, Duration.ofSeconds(120));
    found.put("readiness", "all four services ready");

    List<String> differ = new ArrayList<>();
    await(
        () -> {
          differ.clear();
          differ.addAll(profileMismatches());
          return differ.isEmpty();
        },
        "every profile's purchases and revenue equal what was accepted",
        () -> String.valueOf(differ));
    long purchases = 0;
    for (String c : expected.keySet()) {
      JsonNode f = profile(c).path("features");
      purchases += f.path("purchaseCount").asLong();
    }
    found.put(
        "profiles", purchases + " purchases in " + expected.size() + " profiles, revenue equal");
    assertThat(purchases).isEqualTo(eventsAccepted.get());

    try (Connection db = db("nextbest_decision_e2e")) {
      await(
          () -> loggedDecisions(db).containsAll(decisions),
          "every answered decision in the decision log");
      Set<String> logged = loggedDecisions(db);
      found.put(
          "decision log",
          logged.size()
              + " real-time decisions ("
              + (logged.size() - decisions.size())
              + " more than answered: calls whose answer was lost), and "
              + decisionsFromMoments(db)
              + " decided from moments");
      assertThat((long) logged.size() - decisions.size())
          .isLessThanOrEqualTo(decisionsUnanswered.get());
      await(() -> joinedOutcomes(db).equals(outcomes), "every accepted outcome joined once");
      found.put("outcomes", joinedOutcomes(db).size() + " joined to their decisions, none twice");

      // the contact history catches up with the decisions topic; then caps equal the sends
      List<String> disagree = new ArrayList<>();
      await(
          () -> {
            disagree.clear();
            disagree.addAll(capMismatches(db));
            return disagree.isEmpty();
          },
          "every customer's cap state equals their sends",
          () -> String.valueOf(disagree));
      Map<String, Integer> sends = sends(db);
      long overCap = sends.values().stream().filter(n -> n > 1).count();
      found.put(
          "frequency caps",
          expected.size()
              + " customers, cap state equal to their sends ("
              + sends.size()
              + " sent to; "
              + overCap
              + " got a second send while a fault held back the contact history)");
    }
    return found;
  }

  /** Customers whose cap answer differs from their sends in the decision log. */
  private List<String> capMismatches(Connection db) {
    List<String> out = new ArrayList<>();
    Map<String, Integer> sends;
    try {
      sends = sends(db);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    for (String c : expected.keySet()) {
      int n = sends.getOrDefault(c, 0);
      String reason = capReason(c);
      if ((n >= 1) != "campaign cap 1/30d reached".equals(reason) || (n == 0 && reason != null)) {
        out.add(c + ": " + n + " sends, cap answer " + reason);
      }
    }
    return out;
  }

  private List<String> profileMismatches() {
    List<String> out = new ArrayList<>();
    for (var e : expected.entrySet()) {
      JsonNode f = profile(e.getKey()).path("features");
      long count = f.path("purchaseCount").asLong(-1);
      long cents = Math.round(f.path("monetary").asDouble(-1) * 100);
      if (count != e.getValue()[0] || cents != e.getValue()[1]) {
        out.add(
            e.getKey()
                + ": "
                + count
                + " purchases/"
                + cents
                + " cents, accepted "
                + e.getValue()[0]
                + "/"
                + e.getValue()[1]);
      }
    }
    return out;
  }

  private JsonNode profile(String customer) {
    try {
      return JSON.readTree(
          given()
              .get(system.url("profile") + "/api/v1/profiles/{id}", customer)
              .then()
              .statusCode(200)
              .extract()
              .asString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String capReason(String customer) {
    return given()
        .queryParam("channel", "email")
        .get(system.url("eligibility") + "/api/v1/eligibility/{id}", customer)
        .jsonPath()
        .getString(
            "excluded.find { it.campaignId == '"
                + campaign
                + "' && it.reason.startsWith('campaign cap') }.reason");
  }

  /** The real-time decisions logged (those from moments have a moment id). */
  private Set<String> loggedDecisions(Connection db) {
    return strings(
        db,
        "select decision_id from decision_log where customer_id like '"
            + prefix
            + "-%' and moment_id is null");
  }

  private long decisionsFromMoments(Connection db) {
    return strings(
            db,
            "select decision_id from decision_log where customer_id like '"
                + prefix
                + "-%' and moment_id is not null")
        .size();
  }

  /**
   * The load's outcomes (not the conversions derived from purchases) stored once and joined to
   * their decisions (they are learned when the decisions' horizons close, days later).
   */
  private Set<String> joinedOutcomes(Connection db) {
    return strings(
        db,
        "select o.outcome_id from outcomes o join decision_log d using (decision_id)"
            + " where o.customer_id like '"
            + prefix
            + "-%' and o.outcome_id like 'o-%'");
  }

  private Map<String, Integer> sends(Connection db) throws Exception {
    Map<String, Integer> out = new HashMap<>();
    try (ResultSet r =
        db.createStatement()
            .executeQuery(
                "select customer_id, count(*) from decision_log where campaign_id = '"
                    + campaign
                    + "' and not control group by customer_id")) {
      while (r.next()) {
        out.put(r.getString(1), r.getInt(2));
      }
    }
    return out;
  }

  private static Set<String> strings(Connection db, String sql) {
    Set<String> out = new HashSet<>();
    try (ResultSet r = db.createStatement().executeQuery(sql)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static Connection db(String name) throws Exception {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + IsolatedSystem.pgPort() + "/" + name,
        "nextbest",
        "nextbest");
  }

  /** Milliseconds from {@code since} until all four services are ready and take a write. */
  long readyAfter(long since) throws Exception {
    system.awaitAll("/q/health/ready", 200, Duration.ofSeconds(120));
    String probe = prefix + "-probe-" + UUID.randomUUID();
    await(
        () ->
            post(
                    system.url("profile") + "/api/v1/events",
                    "{\"events\":[{\"eventId\":\""
                        + probe
                        + "\",\"customerId\":\""
                        + probe
                        + "\",\"type\":\"view\",\"properties\":{}}]}")
                != null,
        "a write after the fault");
    return (System.nanoTime() - since) / 1_000_000;
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void await(BooleanSupplier check, String what) throws InterruptedException {
    await(check, what, () -> "");
  }

  static void await(BooleanSupplier check, String what, java.util.function.Supplier<String> detail)
      throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < end) {
      if (check.getAsBoolean()) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("never: " + what + " " + detail.get());
  }
}
