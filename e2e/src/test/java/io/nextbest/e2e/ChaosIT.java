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
import java.nio.file.Files;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults under a steady, bounded load of events, decisions and outcomes with exact counts: kill -9
 * of each service and its restart, a Kafka broker crash and restart, Redis flushed and then
 * stopped, PostgreSQL cut off. Clients retry what was refused with the same ids, as a real client
 * would. Every customer has e-mail consent and one e-mail campaign capped at one send in 30 days
 * competes with the others. Afterwards nothing accepted is missing or counted twice — every
 * customer's purchase count and revenue equal what was accepted, every accepted decision is in the
 * decision log and every accepted outcome is joined to its decision once — the frequency caps agree
 * with the sends, and every service is ready again. It prints what was sent and found and each
 * fault's recovery time.
 *
 * <p>CI runs the short form; {@code bin/nextbest chaos} runs a longer one ({@code
 * -Dchaos.calm-seconds}, {@code -Dchaos.outage-seconds}, {@code -Dchaos.customers}, {@code
 * -Dchaos.event-pause-ms}).
 */
class ChaosIT extends IsolatedSystemTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int CALM = Integer.getInteger("chaos.calm-seconds", 3);
  static final int OUTAGE = Integer.getInteger("chaos.outage-seconds", 3);
  static final int CUSTOMERS = Integer.getInteger("chaos.customers", 40);
  static final int EVENT_PAUSE_MS = Integer.getInteger("chaos.event-pause-ms", 100);
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String CAMPAIGN = "chaos-mail-" + RUN;

  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  final AtomicBoolean running = new AtomicBoolean(true);

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

  /** The campaign goes: later test classes share these databases. */
  @AfterEach
  void deleteCampaign() {
    given().delete(system.url("eligibility") + "/api/v1/campaigns/{id}", CAMPAIGN);
  }

  @Test
  void nothingAcceptedIsLostOrCountedTwiceThroughCrashesAndOutages() throws Exception {
    prepareCustomersAndCampaign();
    List<Thread> load =
        List.of(
            new Thread(this::sendEvents, "chaos-events"),
            new Thread(this::decideAndConvert, "chaos-decisions"));
    load.forEach(Thread::start);
    Map<String, Long> recovery = new LinkedHashMap<>();
    try {
      calm();
      for (String service : NextBestSystem.PORTS.keySet()) {
        progress("kill -9 " + service + "-service");
        system.kill(service);
        long t = System.nanoTime();
        system.restart(service);
        recovery.put("kill -9 " + service + "-service", readyAfter(t));
        calm();
      }
      outage(recovery, "Kafka broker crash", kafka::kill, kafka::start);
      progress("Redis flushed");
      redisCli("FLUSHALL");
      recovery.put("Redis flushed", readyAfter(System.nanoTime()));
      calm();
      outage(recovery, "Redis stopped", system::stopRedis, system::startRedis);
      outage(recovery, "PostgreSQL cut off", postgres::cut, postgres::restore);
    } finally {
      running.set(false);
      for (Thread th : load) {
        th.join(120_000);
      }
    }

    progress("load stopped; waiting for the system to settle and comparing");
    Map<String, String> found = verify();
    StringBuilder report = new StringBuilder("\nchaos run " + RUN + "\n");
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
    Files.writeString(system.logs().resolve("chaos-report.txt"), report.toString());
    assertThat(unexpected).as("answers other than 2xx or 503").isEmpty();
    assertThat(eventsAccepted.get()).isPositive();
    assertThat(decisions).isNotEmpty();
    assertThat(outcomes).isNotEmpty();
  }

  /**
   * Every customer has e-mail consent; one e-mail campaign for this run's customers only, capped at
   * one send in 30 days (deleted afterwards: other tests share these databases).
   */
  private void prepareCustomersAndCampaign() {
    system.createCappedEmailCampaign(
        CAMPAIGN, "Chaos mail", "attributes.name == 'Chaos " + RUN + "'");
    for (int i = 0; i < CUSTOMERS; i++) {
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("attributes", Map.of("name", "Chaos " + RUN)))
          .put(system.url("profile") + "/api/v1/profiles/{id}", customer(i))
          .then()
          .statusCode(200);
      given()
          .contentType(ContentType.JSON)
          .body(Map.of("granted", true, "source", "signup"))
          .put(system.url("profile") + "/api/v1/profiles/{id}/consents/email", customer(i))
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
        String c = customer(random.nextInt(CUSTOMERS));
        long cents = 100L * (1 + random.nextInt(50));
        String id = "chaos-" + RUN + "-e" + seq++;
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
        JsonNode r = post(system.url("profile") + "/api/v1/events", batch.toString());
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
      pause(EVENT_PAUSE_MS);
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
      String c = customer(i++ % CUSTOMERS);
      JsonNode d =
          post(
              system.url("decision") + "/api/v1/decisions",
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
      while (post(system.url("decision") + "/api/v1/outcomes", outcome) == null) {
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
  private Map<String, String> verify() throws Exception {
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
                + CAMPAIGN
                + "' && it.reason.startsWith('campaign cap') }.reason");
  }

  /** The real-time decisions logged (those from moments have a moment id). */
  private static Set<String> loggedDecisions(Connection db) {
    return strings(
        db,
        "select decision_id from decision_log where customer_id like 'chaos-"
            + RUN
            + "-%' and moment_id is null");
  }

  private static long decisionsFromMoments(Connection db) {
    return strings(
            db,
            "select decision_id from decision_log where customer_id like 'chaos-"
                + RUN
                + "-%' and moment_id is not null")
        .size();
  }

  /**
   * The load's outcomes (not the conversions derived from purchases) stored once and joined to
   * their decisions (they are learned when the decisions' horizons close, days later).
   */
  private static Set<String> joinedOutcomes(Connection db) {
    return strings(
        db,
        "select o.outcome_id from outcomes o join decision_log d using (decision_id)"
            + " where o.customer_id like 'chaos-"
            + RUN
            + "-%' and o.outcome_id like 'o-%'");
  }

  private static Map<String, Integer> sends(Connection db) throws Exception {
    Map<String, Integer> out = new HashMap<>();
    try (ResultSet r =
        db.createStatement()
            .executeQuery(
                "select customer_id, count(*) from decision_log where campaign_id = '"
                    + CAMPAIGN
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
  private long readyAfter(long since) throws Exception {
    system.awaitAll("/q/health/ready", 200, Duration.ofSeconds(120));
    String probe = "chaos-" + RUN + "-probe-" + UUID.randomUUID();
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

  private void redisCli(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(system.redisPort())));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(new String(p.getInputStream().readAllBytes()).trim()).isEqualTo("OK");
    p.waitFor();
  }

  interface Step {
    void run() throws Exception;
  }

  /** A backing service down for {@link #OUTAGE} seconds under load, then back, then calm. */
  private void outage(Map<String, Long> recovery, String fault, Step down, Step up)
      throws Exception {
    progress(fault);
    down.run();
    Thread.sleep(OUTAGE * 1000L);
    long t = System.nanoTime();
    up.run();
    recovery.put(fault + " (" + OUTAGE + " s)", readyAfter(t));
    calm();
  }

  private void progress(String fault) {
    System.out.printf(
        "fault: %-40s (so far %d events, %d decisions, %d outcomes accepted)%n",
        fault, eventsAccepted.get(), decisions.size(), outcomes.size());
  }

  private static String customer(int i) {
    return "chaos-" + RUN + "-" + i;
  }

  private static void calm() throws InterruptedException {
    Thread.sleep(CALM * 1000L);
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(BooleanSupplier check, String what) throws InterruptedException {
    await(check, what, () -> "");
  }

  private static void await(
      BooleanSupplier check, String what, java.util.function.Supplier<String> detail)
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
