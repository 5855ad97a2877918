package io.nextbest.tools.decision.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.tools.common.ProgressLine;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live system on the simulated world: each day the visits' events go to profile-service, then
 * every moment is decided by decision-service (its {@code at} is the simulated time), then the
 * sends take effect in the world and the day's purchases, conversions and unsubscribes go back
 * through the public APIs.
 */
public final class LiveRun {
  private static final int EVENT_BATCH = 500;
  private static final int OUTCOME_BATCH = 500;

  private final Market market;
  private final Payloads payloads;
  private final ServicesClient client;
  private final URI profileUrl;
  private final URI decisionUrl;
  private final Stats stats = new Stats();
  private final Regret regret = new Regret(Regret.CHOSEN);

  /** What the live run saw besides the world's ledger. */
  public static final class Stats {
    final LongAdder eventsSent = new LongAdder();
    final LongAdder eventsAccepted = new LongAdder();
    final LongAdder eventsDuplicate = new LongAdder();
    final LongAdder eventsRejected = new LongAdder();
    final LongAdder outcomesSent = new LongAdder();
    final LongAdder outcomesAccepted = new LongAdder();
    long profiles;
    long decisionsAsked;
    long decisionsAnswered;
    long controls;
    long conversionsReported;
    final Map<String, Long> rules = new TreeMap<>();
    final List<String> modeByDay = new ArrayList<>();
    final List<Double> modelShareByDay = new ArrayList<>();
    String startMode;
    Integer promotionDay;
    String lastPolicyVersion;

    /** The figures as a JSON-ready map. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("profiles", profiles);
      m.put("eventsSent", eventsSent.sum());
      m.put("eventsAccepted", eventsAccepted.sum());
      m.put("eventsDuplicate", eventsDuplicate.sum());
      m.put("eventsRejected", eventsRejected.sum());
      m.put("decisionsAsked", decisionsAsked);
      m.put("decisionsAnswered", decisionsAnswered);
      m.put("controlDecisions", controls);
      m.put("rules", rules);
      m.put("outcomesSent", outcomesSent.sum());
      m.put("outcomesAccepted", outcomesAccepted.sum());
      m.put("conversionsReported", conversionsReported);
      m.put("startMode", startMode);
      m.put("promotionDay", promotionDay);
      m.put("modeByDay", modeByDay);
      m.put("modelShareByDay", modelShareByDay);
      m.put("lastPolicyVersion", lastPolicyVersion);
      return m;
    }

    public Integer promotionDay() {
      return promotionDay;
    }

    public String startMode() {
      return startMode;
    }

    /** The canary share read each day before the policy was fully live (null when unread). */
    public List<Double> modelShareByDay() {
      return modelShareByDay;
    }
  }

  public LiveRun(
      Market market, Payloads payloads, ServicesClient client, URI profileUrl, URI decisionUrl) {
    this.market = market;
    this.payloads = payloads;
    this.client = client;
    this.profileUrl = profileUrl;
    this.decisionUrl = decisionUrl;
  }

  public Stats stats() {
    return stats;
  }

  /**
   * Runs every day.
   *
   * @param mode live or apprentice to switch decision-service first, as-is to leave it
   */
  public DailyLedger run(String mode) {
    if (!"as-is".equals(mode)) {
      JsonNode view =
          client.callNow(
              "PUT",
              decisionUrl.resolve("/api/v1/policies/current/mode"),
              payloads.modeChange(mode),
              true);
      if (view != null) {
        stats.startMode = modeOf(view);
      }
    }
    createProfiles();
    SimConfig config = market.config();
    for (int day = 0; day < config.days(); day++) {
      runDay(day);
    }
    return market.ledger();
  }

  private void createProfiles() {
    ProgressLine progress = new ProgressLine("profiles");
    List<CompletableFuture<JsonNode>> pending = new ArrayList<>();
    List<Customer> customers = market.customers();
    for (Customer c : customers) {
      pending.add(
          client.call(
              "PUT", profileUrl.resolve("/api/v1/profiles/" + c.id()), payloads.profile(c), true));
      progress.update((double) pending.size() / customers.size(), pending.size(), "profiles");
    }
    stats.profiles = pending.stream().map(CompletableFuture::join).filter(r -> r != null).count();
    progress.finish(stats.profiles, "profiles");
  }

  private void runDay(int day) {
    SimConfig config = market.config();
    ProgressLine progress =
        new ProgressLine(String.format(Locale.ROOT, "day %d/%d", day + 1, config.days()));
    readMode(day);
    long acceptedBefore = stats.eventsAccepted.sum();

    List<Visit> visits = market.visits(day);
    List<ObjectNode> events = new ArrayList<>();
    visits.forEach(v -> events.addAll(payloads.visitEvents(v)));
    events.sort(Comparator.comparing(e -> e.path("occurredAt").asText()));
    // the day's events are accepted before its first decision
    postEvents(events).join();

    record Asked(Visit visit, List<Integer> candidates, CompletableFuture<JsonNode> answer) {}
    List<Asked> asked = new ArrayList<>();
    for (Visit v : visits) {
      List<Integer> candidates = market.candidates(v.customer());
      if (candidates.isEmpty()) {
        continue;
      }
      market.moment(v);
      asked.add(
          new Asked(
              v,
              candidates,
              client.call(
                  "POST",
                  decisionUrl.resolve("/api/v1/decisions"),
                  payloads.decisionRequest(v, candidates),
                  true)));
      progress.update(0.9 * asked.size() / Math.max(1, visits.size()), asked.size(), "decisions");
    }
    stats.decisionsAsked += asked.size();

    List<ObjectNode> outcomes = new ArrayList<>();
    long sends = 0;
    long answered = 0;
    for (Asked a : asked) { // in visit order, so the world does not depend on answer order
      JsonNode d = a.answer().join();
      if (d == null) {
        continue; // failed and counted: nothing was sent
      }
      answered++;
      stats.rules.merge(d.path("rule").asText("?"), 1L, Long::sum);
      if (d.hasNonNull("policyVersion")) {
        stats.lastPolicyVersion = d.get("policyVersion").asText();
      }
      String campaignId = d.path("campaignId").isTextual() ? d.get("campaignId").asText() : null;
      int campaign = payloads.campaignIndex(campaignId);
      if (campaignId != null && campaign == LocalPolicy.NONE) {
        client.count("POST /api/v1/decisions → chose a campaign that was not a candidate");
        continue;
      }
      if (d.path("control").asBoolean(false)) {
        stats.controls++;
        continue; // held out: logged by the service, never sent
      }
      if (day >= market.config().firstMeasuredDay()) {
        judge(a.visit(), a.candidates(), campaign, d.path("expectedUplift").path("mean"));
      }
      if (campaign != LocalPolicy.NONE) {
        sends++;
        Unsubscribe u = market.send(a.visit(), campaign, d.path("decisionId").asText());
        if (u != null) {
          outcomes.add(payloads.unsubscribe(u));
        }
      }
    }
    stats.decisionsAnswered += answered;

    List<ObjectNode> purchaseEvents = new ArrayList<>();
    for (Purchase p : market.closeDay(day)) {
      purchaseEvents.add(payloads.purchaseEvent(p));
      if (p.reportConversion()) {
        outcomes.add(payloads.conversion(p));
        stats.conversionsReported++;
      }
    }
    CompletableFuture<Void> eventsDone = postEvents(purchaseEvents);
    CompletableFuture<Void> outcomesDone = postOutcomes(outcomes);
    CompletableFuture.allOf(eventsDone, outcomesDone).join();
    progress.finish(
        answered,
        String.format(
            Locale.ROOT,
            "decisions, %,d sends, %,d events accepted",
            sends,
            stats.eventsAccepted.sum() - acceptedBefore));
  }

  /**
   * Judges the services' choice against the oracle's at a measured moment, before the send changes
   * the world, and records what the services believed their choice worth.
   */
  private void judge(Visit v, List<Integer> candidates, int choice, JsonNode believed) {
    double value = regret.judge(market, v, candidates, choice);
    if (choice != LocalPolicy.NONE && believed.isNumber()) {
      regret.believe(Regret.id(market, choice), v.device(), believed.asDouble(), value);
    }
  }

  /** Where the services lost against the oracle over the measured days. */
  public Regret regret() {
    return regret;
  }

  /**
   * Reads the policy in force; the first day it reads live after apprentice mode or live mode's
   * learning phase is the promotion.
   */
  private void readMode(int day) {
    JsonNode view =
        client.callNow("GET", decisionUrl.resolve("/api/v1/policies/current"), null, true);
    String mode = view == null ? "unknown" : modeOf(view);
    if (stats.startMode == null) {
      stats.startMode = mode;
    }
    String before = stats.modeByDay.isEmpty() ? stats.startMode : lastKnownMode();
    if (stats.promotionDay == null
        && "live".equals(mode)
        && ("apprentice".equals(before) || "learning".equals(before))) {
      stats.promotionDay = day;
    }
    stats.modeByDay.add(mode);
    JsonNode share = view == null ? null : view.get("modelShare");
    stats.modelShareByDay.add(
        share != null && share.isNumber() && !"live".equals(mode) ? share.asDouble() : null);
  }

  /** The mode of a policy view: apprentice, learning (live mode's learning phase) or live. */
  static String modeOf(JsonNode view) {
    String mode = view.path("mode").asText("unknown");
    return "live".equals(mode) && view.path("learning").asBoolean() ? "learning" : mode;
  }

  private String lastKnownMode() {
    for (int i = stats.modeByDay.size() - 1; i >= 0; i--) {
      if (!"unknown".equals(stats.modeByDay.get(i))) {
        return stats.modeByDay.get(i);
      }
    }
    return stats.startMode;
  }

  private CompletableFuture<Void> postEvents(List<ObjectNode> events) {
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (int i = 0; i < events.size(); i += EVENT_BATCH) {
      List<ObjectNode> batch = events.subList(i, Math.min(events.size(), i + EVENT_BATCH));
      stats.eventsSent.add(batch.size());
      pending.add(
          client
              .call(
                  "POST",
                  profileUrl.resolve("/api/v1/events"),
                  payloads.batch("events", batch),
                  true)
              .thenAccept(this::tallyEvents));
    }
    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
  }

  private void tallyEvents(JsonNode r) {
    if (r == null) {
      return;
    }
    stats.eventsAccepted.add(r.path("accepted").asLong());
    stats.eventsDuplicate.add(r.path("duplicates").asLong());
    for (JsonNode x : r.path("rejected")) {
      stats.eventsRejected.increment();
      client.count(
          "POST /api/v1/events → event rejected: "
              + x.path("field").asText()
              + ": "
              + x.path("reason").asText());
    }
  }

  private CompletableFuture<Void> postOutcomes(List<ObjectNode> outcomes) {
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i += OUTCOME_BATCH) {
      List<ObjectNode> batch = outcomes.subList(i, Math.min(outcomes.size(), i + OUTCOME_BATCH));
      stats.outcomesSent.add(batch.size());
      pending.add(
          client
              .call(
                  "POST",
                  decisionUrl.resolve("/api/v1/outcomes"),
                  payloads.batch("outcomes", batch),
                  false)
              .thenAccept(
                  r -> {
                    if (r != null) {
                      stats.outcomesAccepted.add(r.path("accepted").asLong());
                    }
                  }));
    }
    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
  }

  /** Midnight UTC of day 0 for a run of {@code days} ending yesterday. */
  public static Instant startFor(int days, LocalDate today) {
    return today.minusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
