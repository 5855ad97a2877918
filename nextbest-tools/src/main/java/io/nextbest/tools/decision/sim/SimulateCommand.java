package io.nextbest.tools.decision.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nextbest.models.policy.DecisionPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the autopilot would do before it goes live: a synthetic population whose true uplift per
 * campaign and customer is known drives the running services through their public APIs (the
 * decision API's {@code at} is the clock), and the value it earns per customer per day over sending
 * nothing is compared with manual priority, uniform random and a myopic oracle, simulated locally
 * on the same population with the same random numbers.
 *
 * <pre>
 * bin/nextbest simulate [--customers 1000] [--days 60] [--seed 42] [--measure-from DAYS/3]
 *     [--mode live|apprentice|as-is] [--run-id ID] [--config FILE.json] [--token TOKEN]
 *     [--plot .nextbest/simulate.svg] [--json .nextbest/simulate.json] [--in-flight 8]
 *     [--profile-url http://127.0.0.1:8081] [--decision-url http://127.0.0.1:8083]
 *     [--baselines-only | --in-process [--engine temperature=0.25,horizon-days=7,...]]
 * </pre>
 *
 * <p>{@code --in-process} runs the decision engine's own code (features, policy, horizon rewards,
 * learning, at the service's default settings) in this process instead of the services: the same
 * table in seconds, with the profile features built from the simulated events. It runs live from
 * day 0; with {@code --mode apprentice} it stays in apprentice mode throughout, canary share
 * included (the promotion check reads the services' running sums, so it never promotes in-process).
 * {@code --engine} changes some of its settings first (the keys {@link EngineRun.Settings#with}
 * lists), to try a setting before changing it on the services.
 */
public final class SimulateCommand {
  static final String USAGE =
      "usage: bin/nextbest simulate [--customers 1000] [--days 60] [--seed 42]"
          + " [--measure-from N] [--mode live|apprentice|as-is] [--run-id ID] [--config FILE.json]"
          + " [--token TOKEN] [--plot FILE.svg] [--json FILE.json] [--in-flight 8]"
          + " [--profile-url URL] [--decision-url URL] [--baselines-only | --in-process [--engine K=V,...]]";

  private static final Set<String> OPTIONS =
      Set.of(
          "customers",
          "days",
          "seed",
          "measure-from",
          "mode",
          "run-id",
          "config",
          "token",
          "plot",
          "json",
          "in-flight",
          "profile-url",
          "decision-url",
          "baselines-only",
          "in-process",
          "engine",
          "help");

  private SimulateCommand() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts;
    try {
      opts = options(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (opts.containsKey("help")) {
      System.out.println(USAGE);
      return;
    }
    int status;
    try {
      status = run(opts, System.out, System.err);
    } catch (IllegalArgumentException e) {
      System.err.println("simulate: " + e.getMessage());
      status = 2;
    }
    System.exit(status);
  }

  /** {@code --name value} and {@code --name=value} pairs; a flag alone is "true". */
  static Map<String, String> options(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
      String name;
      String value;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(2, eq);
        value = a.substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        name = a.substring(2);
        value = args[++i];
      } else {
        name = a.substring(2);
        value = "true";
      }
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
      opts.put(name, value);
    }
    return opts;
  }

  static int run(Map<String, String> opts, PrintStream out, PrintStream err) throws Exception {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    SimConfig base =
        opts.containsKey("config")
            ? SimConfig.read(Path.of(opts.get("config")), json)
            : SimConfig.defaults();
    SimConfig config =
        base.with(
            intOption(opts, "customers", base.customers()),
            intOption(opts, "days", base.days()),
            Long.parseLong(opts.getOrDefault("seed", Long.toString(base.seed()))),
            opts.containsKey("measure-from")
                ? Integer.valueOf(intOption(opts, "measure-from", 0))
                : base.measureFrom());
    config.check();
    String mode = opts.getOrDefault("mode", "as-is");
    if (!Set.of("live", "apprentice", "as-is").contains(mode)) {
      throw new IllegalArgumentException("--mode must be live, apprentice or as-is");
    }
    String runId = opts.getOrDefault("run-id", randomRunId());
    if (!runId.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,23}")) {
      throw new IllegalArgumentException(
          "--run-id must be 1-24 letters, digits, _ or -, starting with a letter or digit");
    }
    int inFlight = intOption(opts, "in-flight", 8);
    if (inFlight < 1 || inFlight > 256) {
      throw new IllegalArgumentException("--in-flight must be 1 to 256");
    }
    boolean inProcess = opts.containsKey("in-process");
    boolean live = !opts.containsKey("baselines-only") && !inProcess;
    Path plot = Path.of(opts.getOrDefault("plot", ".nextbest/simulate.svg"));
    Path jsonOut = Path.of(opts.getOrDefault("json", ".nextbest/simulate.json"));

    Instant start = LiveRun.startFor(config.days(), LocalDate.now(ZoneOffset.UTC));
    RandomStreams streams = new RandomStreams(config.seed());
    List<Customer> customers = Population.draw(config, streams, runId + "-");

    Map<String, DailyLedger> ledgers = LocalRun.baselines(config, customers, streams, start);

    Regret regret = null;
    if (inProcess) {
      DecisionPolicy.Mode engineMode =
          "apprentice".equals(mode) ? DecisionPolicy.Mode.APPRENTICE : DecisionPolicy.Mode.LIVE;
      EngineRun engine =
          new EngineRun(
              config,
              customers,
              EngineRun.Settings.defaults(engineMode).with(opts.getOrDefault("engine", "")));
      ledgers.put(Report.ENGINE, engine.run(streams, start, err));
      regret = engine.regret();
    }

    LiveRun.Stats stats = null;
    ServicesClient client = null;
    if (live) {
      String token = opts.getOrDefault("token", System.getenv("NEXTBEST_SIM_TOKEN"));
      if (token == null || token.isBlank()) {
        err.println(
            "simulate: no token (--token or NEXTBEST_SIM_TOKEN): decisions in the past and the"
                + " policy reads will be refused");
      }
      URI profileUrl = URI.create(opts.getOrDefault("profile-url", "http://127.0.0.1:8081"));
      URI decisionUrl = URI.create(opts.getOrDefault("decision-url", "http://127.0.0.1:8083"));
      client = new ServicesClient(json, token, inFlight, err, 250);
      for (URI u : List.of(profileUrl, decisionUrl)) {
        if (!client.ready(u)) {
          err.println(
              "simulate: "
                  + u
                  + " is not ready; start the services with bin/nextbest up (or run with"
                  + " --baselines-only)");
          return 1;
        }
      }
      err.printf(
          Locale.ROOT,
          "simulate: run %s, %,d customers, %d days from %s, mode %s%n",
          runId,
          config.customers(),
          config.days(),
          start,
          mode);
      Payloads payloads = new Payloads(runId, config, customers, json);
      LiveRun run =
          new LiveRun(
              new Market(config, customers, streams, start),
              payloads,
              client,
              profileUrl,
              decisionUrl);
      ledgers.put(Report.LIVE, run.run(mode));
      stats = run.stats();
      regret = run.regret();
    }

    Report report = Report.of(config.customers(), config.firstMeasuredDay(), ledgers);
    List<CampaignTruth.Row> truth = CampaignTruth.of(config, customers, start);
    out.println(report.markdown());
    if (stats != null) {
      out.println(promotionLine(stats));
      String shares = canaryLine(stats);
      if (shares != null) {
        out.println(shares);
      }
      out.println();
    }
    out.println(CampaignTruth.markdown(truth, config.effectDays()));
    if (regret != null) {
      out.println(regret.markdown(config.firstMeasuredDay(), config.days()));
    }
    if (client != null && client.failureCount() > 0) {
      out.printf(Locale.ROOT, "%,d failed requests:%n", client.failureCount());
      client.failures().forEach((k, v) -> out.printf(Locale.ROOT, "  %,8d  %s%n", v, k));
      out.println();
    }

    write(
        plot,
        plot(report, runId, inProcess ? "engine in-process, " + mode : policyLabel(mode, stats)));
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("runId", runId);
    figures.put("start", start.toString());
    figures.put("mode", mode);
    figures.put("customers", config.customers());
    figures.put("days", config.days());
    figures.put("measuredFrom", config.firstMeasuredDay());
    figures.put("seed", config.seed());
    figures.put("policies", rows(report, ledgers));
    figures.put("campaigns", truth);
    if (regret != null) {
      figures.put(inProcess ? "engineRegret" : "liveRegret", regret.toMap());
    }
    if (stats != null) {
      figures.put("live", stats.toMap());
      figures.put("failedRequests", client.failures());
      figures.put("retries", client.retries());
    }
    figures.put("config", config);
    write(jsonOut, json.writeValueAsString(figures));
    out.println("plot: " + plot + "  figures: " + jsonOut);
    return client != null && client.failureCount() > 0 ? 1 : 0;
  }

  /**
   * The canary share before promotion, as its changes: "Canary share: 0.25 from day 0, 0.50 from
   * day 14."; null when none was read.
   */
  static String canaryLine(LiveRun.Stats stats) {
    StringBuilder line = new StringBuilder();
    Double last = null;
    List<Double> shares = stats.modelShareByDay();
    for (int day = 0; day < shares.size(); day++) {
      Double share = shares.get(day);
      if (share != null && !share.equals(last)) {
        line.append(line.isEmpty() ? "Canary share: " : ", ")
            .append(String.format(Locale.ROOT, "%.2f from day %d", share, day));
        last = share;
      }
    }
    return line.isEmpty() ? null : line.append('.').toString();
  }

  static String promotionLine(LiveRun.Stats stats) {
    if (stats.promotionDay() != null) {
      return "learning".equals(stats.startMode())
          ? "Promotion: live mode's learning phase ended on simulated day "
              + stats.promotionDay()
              + "."
          : "Promotion: the model went live on simulated day " + stats.promotionDay() + ".";
    }
    if ("live".equals(stats.startMode())) {
      return "Promotion: none needed, the policy was live from day 0.";
    }
    return "Promotion: the policy stayed in " + stats.startMode() + " mode.";
  }

  private static List<Map<String, Object>> rows(Report report, Map<String, DailyLedger> ledgers) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Report.Row r : report.rows()) {
      DailyLedger l = ledgers.get(r.policy());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("policy", r.policy());
      m.put("upliftPerCustomerDay", r.upliftPerCustomerDay());
      m.put("timesManual", r.timesManual());
      m.put("shareOfOracle", r.shareOfOracle());
      m.put("sendsPerCustomerDay", r.sendsPerCustomerDay());
      m.put("unsubscribes", r.unsubscribes());
      m.put("valuePerCustomerDay", r.valuePerCustomerDay());
      m.put("purchases", r.purchases());
      m.put("cumulativeUpliftPerCustomer", r.cumulativeUplift());
      int days = l.days();
      double[] value = new double[days];
      int[] sends = new int[days];
      int[] moments = new int[days];
      int[] unsubscribes = new int[days];
      int[] driven = new int[days];
      for (int d = 0; d < days; d++) {
        value[d] = l.value(d);
        sends[d] = l.sends(d);
        moments[d] = l.moments(d);
        unsubscribes[d] = l.unsubscribes(d);
        driven[d] = l.drivenPurchases(d);
      }
      m.put("valueByDay", value);
      m.put("momentsByDay", moments);
      m.put("sendsByDay", sends);
      m.put("unsubscribesByDay", unsubscribes);
      m.put("drivenPurchasesByDay", driven);
      rows.add(m);
    }
    return rows;
  }

  /** How the live system ran, for the plot: its mode and promotion, or "baselines only". */
  static String policyLabel(String mode, LiveRun.Stats stats) {
    if (stats == null) {
      return "baselines only";
    }
    String label =
        "learning".equals(stats.startMode())
            ? "decision-service live mode (learning phase)"
            : "decision-service " + stats.startMode() + " mode";
    if ("as-is".equals(mode)) {
      label += " (as found)";
    }
    return stats.promotionDay() == null
        ? label
        : label + ", fully live from day " + stats.promotionDay();
  }

  static String plot(Report report, String runId, String policyLabel) {
    Map<String, String> colors =
        Map.of(
            Report.NONE, "#9e9e9e",
            Report.MANUAL, "#ef6c00",
            Report.RANDOM, "#8e24aa",
            Report.ORACLE, "#2e7d32",
            Report.LIVE, "#1565c0",
            Report.ENGINE, "#1565c0");
    List<SvgPlot.Series> series = new ArrayList<>();
    for (Report.Row r : report.rows()) {
      series.add(
          new SvgPlot.Series(
              r.policy(),
              r.cumulativeUplift(),
              colors.getOrDefault(r.policy(), "#000000"),
              r.policy().equals(Report.ORACLE) || r.policy().equals(Report.NONE)));
    }
    return SvgPlot.render(
        "Cumulative value over \"none\" per customer",
        String.format(
            Locale.ROOT,
            "NextBest simulation %s: %,d customers, %d days, %s",
            runId,
            report.customers(),
            report.days(),
            policyLabel),
        "simulated day",
        "purchase value over none per customer (cumulative)",
        series,
        report.firstMeasuredDay(),
        "measured from day " + report.firstMeasuredDay());
  }

  private static void write(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static int intOption(Map<String, String> opts, String name, int fallback) {
    String v = opts.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, not '" + v + "'");
    }
  }

  private static String randomRunId() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom r = new SecureRandom();
    StringBuilder b = new StringBuilder("s");
    for (int i = 0; i < 5; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
