package io.nextbest.tools.decision.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The live path against fake services: the world it produces is the local one's. */
class LiveRunTest {
  private final ObjectMapper json = new ObjectMapper();
  private final SimConfig config = Worlds.defaults(40, 8);
  private final RandomStreams streams = new RandomStreams(42);
  private final List<Customer> customers = Population.draw(config, streams, "run1-");
  private final Instant start = LiveRun.startFor(config.days(), LocalDate.now(ZoneOffset.UTC));
  private final PrintStream err =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  private record Run(
      DailyLedger ledger, LiveRun.Stats stats, ServicesClient client, Regret regret) {}

  private Run live(FakeServices fake, String mode) {
    return live(fake, mode, config);
  }

  private Run live(FakeServices fake, String mode, SimConfig world) {
    ServicesClient client = new ServicesClient(json, "tok", 8, err, 1);
    LiveRun run =
        new LiveRun(
            new Market(world, customers, streams, start),
            new Payloads("run1", world, customers, json),
            client,
            fake.url(),
            fake.url());
    return new Run(run.run(mode), run.stats(), client, run.regret());
  }

  /** Answers the first candidate, with a decision id naming the customer and the moment. */
  private static final Function<JsonNode, FakeServices.Answer> FIRST =
      body ->
          FakeServices.chose(
              body.get("candidates").get(0).get("campaignId").asText(),
              "d:" + body.get("customerId").asText() + ":" + body.get("at").asText());

  @Test
  void aSystemThatNeverSendsEarnsExactlyWhatNoneEarns() throws Exception {
    try (FakeServices fake = new FakeServices(body -> FakeServices.chose(null, "d:x"))) {
      Run run = live(fake, "as-is");
      DailyLedger none = LocalRun.run(config, customers, streams, start, Baselines.none());
      for (int d = 0; d < config.days(); d++) {
        assertThat(run.ledger().value(d)).isEqualTo(none.value(d));
        assertThat(run.ledger().sends(d)).isZero();
      }
      assertThat(run.client().failureCount()).isZero();
      // never sending loses exactly the oracle's value, all of it on sends missed
      Regret r = run.regret();
      assertThat(r.oracleValue()).isPositive();
      assertThat(r.lost(Regret.Kind.MISSED_SEND)).isCloseTo(r.oracleValue(), within(1e-9));
      assertThat(r.moments(Regret.Kind.WRONG_CAMPAIGN) + r.moments(Regret.Kind.NEEDLESS_SEND))
          .isZero();
      long moments = 0;
      for (int d = config.firstMeasuredDay(); d < config.days(); d++) {
        moments += run.ledger().moments(d);
      }
      long judged = 0;
      for (Regret.Kind k : Regret.Kind.values()) {
        judged += r.moments(k);
      }
      assertThat(judged).isEqualTo(moments);
    }
  }

  @Test
  void theLiveWorldFollowsTheAnswersLikeTheLocalOne() throws Exception {
    try (FakeServices fake = new FakeServices(FIRST)) {
      Run run = live(fake, "as-is");
      // the candidates go in campaign order, so "the first candidate" is this manual order
      DailyLedger local =
          LocalRun.run(config, customers, streams, start, Baselines.manual(List.of(0, 1, 2, 3, 4)));
      for (int d = 0; d < config.days(); d++) {
        assertThat(run.ledger().value(d)).isEqualTo(local.value(d));
        assertThat(run.ledger().sends(d)).isEqualTo(local.sends(d));
        assertThat(run.ledger().unsubscribes(d)).isEqualTo(local.unsubscribes(d));
      }
      assertThat(run.stats().decisionsAnswered).isEqualTo(run.stats().decisionsAsked);
      assertThat(run.stats().rules).containsOnlyKeys("fake");
      // what the answers said their choice was worth, next to its true value
      String first = config.campaigns().get(0).id();
      double[] mobile = run.regret().belief(first, "mobile");
      double[] desktop = run.regret().belief(first, "desktop");
      assertThat(mobile == null ? desktop : mobile).isNotNull();
      for (double[] b : java.util.Arrays.asList(mobile, desktop)) {
        if (b != null) {
          assertThat(b[0]).isEqualTo(0.5);
          assertThat(Double.isFinite(b[1])).isTrue();
        }
      }
    }
  }

  @Test
  void aDaysEventsAreInBeforeItsDecisionsAndEverythingIsInThePast() throws Exception {
    try (FakeServices fake = new FakeServices(FIRST)) {
      live(fake, "as-is");
      Set<String> seen = new HashSet<>();
      Instant now = Instant.now();
      int decisions = 0;
      synchronized (fake.requests) {
        for (FakeServices.Request r : fake.requests) {
          if (r.path().equals("/api/v1/events")) {
            for (JsonNode e : r.body().get("events")) {
              seen.add(e.get("eventId").asText());
              assertThat(Instant.parse(e.get("occurredAt").asText())).isBefore(now);
            }
          } else if (r.path().equals("/api/v1/decisions")) {
            decisions++;
            Instant at = Instant.parse(r.body().get("at").asText());
            assertThat(at).isBefore(now).isAfterOrEqualTo(start);
            int day = (int) ((at.getEpochSecond() - start.getEpochSecond()) / 86_400);
            String customer = r.body().get("customerId").asText();
            int index = Integer.parseInt(customer.substring(customer.lastIndexOf('c') + 1));
            assertThat(seen).contains("run1-v-d" + day + "-c" + index + "-0");
            assertThat(r.authorization()).isEqualTo("Bearer tok");
          }
        }
      }
      assertThat(decisions).isPositive();
      assertThat(fake.to("PUT", "/api/v1/profiles/")).hasSize(customers.size());
    }
  }

  @Test
  void conversionsAndUnsubscribesNameTheirDecisionAndOrder() throws Exception {
    // strong effects and a high unsubscribe rate, so both kinds of outcome occur
    SimConfig strong =
        Worlds.with(
            config,
            List.of(
                Worlds.campaign("up", "email", Worlds.flat(0.05, 0.05)),
                Worlds.campaign("app", "push", Worlds.flat(0.02, 0.05))),
            0.35,
            0.9);
    try (FakeServices fake = new FakeServices(FIRST)) {
      Run run = live(fake, "as-is", strong);
      Set<String> decisionIds = new HashSet<>();
      Set<String> orderIds = new HashSet<>();
      for (FakeServices.Request r : fake.to("POST", "/api/v1/decisions")) {
        decisionIds.add(
            "d:" + r.body().get("customerId").asText() + ":" + r.body().get("at").asText());
      }
      for (FakeServices.Request r : fake.to("POST", "/api/v1/events")) {
        for (JsonNode e : r.body().get("events")) {
          if (e.get("type").asText().equals("purchase")) {
            orderIds.add(e.get("properties").get("orderId").asText());
          }
        }
      }
      int conversions = 0;
      int unsubscribes = 0;
      for (FakeServices.Request r : fake.to("POST", "/api/v1/outcomes")) {
        for (JsonNode o : r.body().get("outcomes")) {
          assertThat(decisionIds).contains(o.get("decisionId").asText());
          if (o.get("type").asText().equals("conversion")) {
            conversions++;
            assertThat(orderIds).contains(o.get("orderId").asText());
          } else {
            assertThat(o.get("type").asText()).isEqualTo("unsubscribe");
            unsubscribes++;
          }
        }
      }
      assertThat(conversions).isEqualTo((int) run.stats().conversionsReported).isPositive();
      assertThat(unsubscribes).isEqualTo((int) run.ledger().totalUnsubscribes()).isPositive();
    }
  }

  @Test
  void thePromotionIsTheFirstDayThePolicyReadsLive() throws Exception {
    try (FakeServices fake = new FakeServices(FIRST)) {
      fake.liveAfterReads = 3;
      Run run = live(fake, "apprentice");
      assertThat(fake.to("PUT", "/api/v1/policies/current/mode")).hasSize(1);
      assertThat(run.stats().startMode()).isEqualTo("apprentice");
      assertThat(run.stats().promotionDay()).isEqualTo(3);
      assertThat(SimulateCommand.promotionLine(run.stats())).contains("day 3");
      // the share read before each day's decisions, until the policy reads live
      assertThat(SimulateCommand.canaryLine(run.stats()))
          .isEqualTo("Canary share: 0.25 from day 0, 0.50 from day 1, 0.75 from day 2.");
      assertThat(SimulateCommand.policyLabel("apprentice", run.stats()))
          .isEqualTo("decision-service apprentice mode, fully live from day 3");
    }
  }

  @Test
  void liveModesLearningPhaseEndsOnTheFirstDayThePolicyReadsFullyLive() throws Exception {
    try (FakeServices fake = new FakeServices(FIRST)) {
      fake.liveAfterReads = 2;
      Run run = live(fake, "live");
      assertThat(run.stats().startMode()).isEqualTo("learning");
      assertThat(run.stats().promotionDay()).isEqualTo(2);
      assertThat(SimulateCommand.promotionLine(run.stats()))
          .isEqualTo("Promotion: live mode's learning phase ended on simulated day 2.");
      assertThat(SimulateCommand.policyLabel("live", run.stats()))
          .isEqualTo("decision-service live mode (learning phase), fully live from day 2");
    }
  }

  @Test
  void aRefusedDecisionIsCountedAndNothingIsSent() throws Exception {
    try (FakeServices fake =
        new FakeServices(
            body ->
                new FakeServices.Answer(
                    400, "{\"status\":400,\"title\":\"Bad\",\"detail\":\"unknown field at\"}"))) {
      Run run = live(fake, "as-is");
      DailyLedger none = LocalRun.run(config, customers, streams, start, Baselines.none());
      for (int d = 0; d < config.days(); d++) {
        assertThat(run.ledger().value(d)).isEqualTo(none.value(d));
      }
      assertThat(run.client().failureCount()).isEqualTo(run.stats().decisionsAsked).isPositive();
    }
  }
}
