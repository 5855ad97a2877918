package io.nextbest.tools.decision.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarketTest {
  private final SimConfig config = Worlds.defaults(300, 30);
  private final RandomStreams streams = new RandomStreams(42);
  private final List<Customer> customers = Population.draw(config, streams, "t-");

  @Test
  void visitsAreTheSameUnderEveryPolicy() {
    Market quiet = new Market(config, customers, streams, Worlds.START);
    Market busy = new Market(config, customers, streams, Worlds.START);
    for (int day = 0; day < 10; day++) {
      List<Visit> a = quiet.visits(day);
      List<Visit> b = busy.visits(day);
      assertThat(b).isEqualTo(a);
      b.forEach(v -> busy.send(v, 0, "d"));
      quiet.closeDay(day);
      busy.closeDay(day);
    }
  }

  @Test
  void visitsHappenWithTheConfiguredProbabilityWithinTheirDay() {
    Market m = new Market(config, customers, streams, Worlds.START);
    int n = 0;
    for (int day = 0; day < config.days(); day++) {
      for (Visit v : m.visits(day)) {
        n++;
        assertThat(v.decisionAt()).isBetween(m.dayStart(day), m.dayStart(day + 1));
        assertThat(v.views()).isNotEmpty();
        v.views().forEach(p -> assertThat(p.at()).isBefore(v.decisionAt()));
      }
      m.closeDay(day);
    }
    assertThat(n / (double) (customers.size() * config.days()))
        .isCloseTo(config.visitProbability(), within(0.02));
  }

  @Test
  void noneRunTwiceGivesTheSameWorld() {
    DailyLedger a = LocalRun.run(config, customers, streams, Worlds.START, Baselines.none());
    DailyLedger b = LocalRun.run(config, customers, streams, Worlds.START, Baselines.none());
    for (int d = 0; d < config.days(); d++) {
      assertThat(b.value(d)).isEqualTo(a.value(d));
      assertThat(b.purchases(d)).isEqualTo(a.purchases(d));
    }
    assertThat(a.totalPurchases()).isPositive();
  }

  @Test
  void aPolicyWithNothingToSendIsNone() {
    DailyLedger none = LocalRun.run(config, customers, streams, Worlds.START, Baselines.none());
    DailyLedger silent =
        LocalRun.run(config, customers, streams, Worlds.START, Baselines.manual(List.of()));
    for (int d = 0; d < config.days(); d++) {
      assertThat(silent.value(d)).isEqualTo(none.value(d));
    }
  }

  @Test
  void positiveLiftsOnlyAddPurchasesToTheOrganicOnes() {
    SimConfig lifting =
        Worlds.with(
            config, List.of(Worlds.campaign("up", "email", Worlds.flat(0.01, 0))), 0.35, 0.9);
    DailyLedger none = LocalRun.run(lifting, customers, streams, Worlds.START, Baselines.none());
    DailyLedger sent =
        LocalRun.run(lifting, customers, streams, Worlds.START, Baselines.manual(List.of(0)));
    long driven = 0;
    for (int d = 0; d < lifting.days(); d++) {
      // the organic draws are shared: without a discount, every purchase of none happens again
      assertThat(sent.purchases(d) - sent.drivenPurchases(d)).isEqualTo(none.purchases(d));
      assertThat(sent.value(d)).isGreaterThanOrEqualTo(none.value(d));
      driven += sent.drivenPurchases(d);
    }
    assertThat(driven).isPositive();
  }

  @Test
  void aSendRaisesThePurchaseProbabilityForItsEffectDays() {
    SimConfig sure =
        Worlds.with(
            Worlds.defaults(1, 20),
            List.of(Worlds.campaign("sure", "email", Worlds.flat(1.0, 0))),
            1.0,
            1.0);
    Customer c = Worlds.customer(0, "shoes", 0.0, 0.0);
    Market m = new Market(sure, List.of(c), streams, Worlds.START);
    List<Integer> buyingDays = new ArrayList<>();
    for (int day = 0; day < sure.days(); day++) {
      for (Visit v : m.visits(day)) {
        if (day == 3) {
          m.send(v, 0, "d-3");
        }
      }
      List<Purchase> purchases = m.closeDay(day);
      if (!purchases.isEmpty()) {
        buyingDays.add(day);
        Purchase p = purchases.get(0);
        assertThat(p.driven()).isTrue();
        assertThat(p.decisionId()).isEqualTo("d-3");
      }
    }
    assertThat(buyingDays).containsExactly(3, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void aVisitorBuysAfterTheDecisionAndWithinTheDay() {
    Market m = new Market(config, customers, streams, Worlds.START);
    int checked = 0;
    for (int day = 0; day < config.days(); day++) {
      var visits = m.visits(day);
      var byCustomer = new HashMap<Integer, Visit>();
      visits.forEach(v -> byCustomer.put(v.customer(), v));
      for (Purchase p : m.closeDay(day)) {
        assertThat(p.at()).isBetween(m.dayStart(day), m.dayStart(day + 1).minusSeconds(1));
        Visit v = byCustomer.get(p.customer());
        if (v != null) {
          assertThat(p.at()).isAfter(v.decisionAt());
          checked++;
        }
        double items = p.items().stream().mapToDouble(i -> i.price() * i.quantity()).sum();
        assertThat(items).isCloseTo(p.gross(), within(0.011));
      }
    }
    assertThat(checked).isPositive();
  }

  @Test
  void anUnsubscribedCustomerGetsNoCandidatesOfThatChannel() {
    SimConfig leaving =
        Worlds.with(
            Worlds.defaults(1, 5),
            List.of(
                Worlds.campaign("mail", "email", Worlds.flat(0, 1.0)),
                Worlds.campaign("app", "push", Worlds.flat(0, 0))),
            1.0,
            0.9);
    Market m =
        new Market(leaving, List.of(Worlds.customer(0, "bags", 0.5, 0.02)), streams, Worlds.START);
    Visit v = m.visits(0).get(0);
    assertThat(m.candidates(0)).containsExactly(0, 1);
    Unsubscribe u = m.send(v, 0, "d-0");
    assertThat(u).isNotNull();
    assertThat(u.channel()).isEqualTo("email");
    assertThat(u.decisionId()).isEqualTo("d-0");
    assertThat(u.at()).isAfter(v.decisionAt());
    assertThat(m.candidates(0)).containsExactly(1);
    m.closeDay(0);
    assertThat(m.ledger().unsubscribes(0)).isEqualTo(1);
  }

  @Test
  void aDiscountCostsItsDepthOnTheOrganicPurchasesItReaches() {
    SimConfig discount =
        Worlds.with(
            Worlds.defaults(1, 30),
            List.of(new CampaignSpec("d20", "email", null, 20, List.of(), Worlds.flat(0, 0))),
            1.0,
            0.9);
    Customer c = Worlds.customer(0, "home", 1.0, 0.1);
    Market m = new Market(discount, List.of(c), streams, Worlds.START);
    Visit v = m.visits(0).get(0);
    // no lift: seven days of organic purchases, each 20% cheaper
    assertThat(m.expectedValue(v, 0)).isCloseTo(-7 * 0.1 * c.meanOrderValue() * 0.2, within(1e-9));
  }

  @Test
  void expectedValueChargesTheUnsubscribeCost() {
    SimConfig risky =
        Worlds.with(
            Worlds.defaults(1, 30),
            List.of(Worlds.campaign("r", "email", Worlds.flat(0, 0.5))),
            1.0,
            0.9);
    Market m =
        new Market(risky, List.of(Worlds.customer(0, "home", 0.5, 0.02)), streams, Worlds.START);
    Visit v = m.visits(0).get(0);
    assertThat(m.expectedValue(v, 0)).isCloseTo(-0.5 * 15.0, within(1e-9));
  }

  @Test
  void expectedValueStopsAtTheEndOfTheRun() {
    SimConfig shortRun =
        Worlds.with(
            Worlds.defaults(1, 3),
            List.of(Worlds.campaign("up", "email", Worlds.flat(0.01, 0))),
            1.0,
            0.9);
    Customer c = Worlds.customer(0, "home", 0.5, 0.02);
    Market m = new Market(shortRun, List.of(c), streams, Worlds.START);
    m.visits(0);
    m.closeDay(0);
    Visit v = m.visits(1).get(0);
    assertThat(m.expectedValue(v, 0)).isCloseTo(2 * 0.01 * c.meanOrderValue(), within(1e-9));
  }

  @Test
  void conversionsAreReportedOnlyForDrivenPurchasesOfADecision() {
    Market m = new Market(config, customers, streams, Worlds.START);
    int reported = 0;
    int driven = 0;
    for (int day = 0; day < config.days(); day++) {
      for (Visit v : m.visits(day)) {
        m.send(v, 0, "d-" + day + "-" + v.customer());
      }
      for (Purchase p : m.closeDay(day)) {
        if (p.reportConversion()) {
          reported++;
          assertThat(p.driven()).isTrue();
          assertThat(p.decisionId()).isNotNull();
        }
        driven += p.driven() ? 1 : 0;
      }
    }
    assertThat(driven).isPositive();
    assertThat(reported / (double) driven).isCloseTo(config.conversionOutcomeShare(), within(0.15));
  }
}
