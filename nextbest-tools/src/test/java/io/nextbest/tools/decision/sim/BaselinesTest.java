package io.nextbest.tools.decision.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BaselinesTest {
  private final SimConfig config = Worlds.defaults(400, 40);
  private final RandomStreams streams = new RandomStreams(42);
  private final List<Customer> customers = Population.draw(config, streams, "t-");

  @Test
  void oracleChoosesTheLargestExpectedValueOrNone() {
    LocalPolicy oracle = Baselines.oracle();
    // contact pressure from a random policy, so the states the oracle meets are varied
    LocalPolicy random = Baselines.random(streams);
    Market m = new Market(config, customers, streams, Worlds.START);
    int none = 0;
    int checked = 0;
    for (int day = 0; day < config.days(); day++) {
      for (Visit v : m.visits(day)) {
        List<Integer> candidates = m.candidates(v.customer());
        if (candidates.isEmpty()) {
          continue;
        }
        int choice = oracle.choose(v, candidates, m);
        double chosen = choice == LocalPolicy.NONE ? 0 : m.expectedValue(v, choice);
        for (int k : candidates) {
          assertThat(chosen).isGreaterThanOrEqualTo(m.expectedValue(v, k));
        }
        assertThat(chosen).isGreaterThanOrEqualTo(0);
        none += choice == LocalPolicy.NONE ? 1 : 0;
        checked++;
        int sent = random.choose(v, candidates, m);
        if (sent != LocalPolicy.NONE) {
          m.send(v, sent, "d");
        }
      }
      m.closeDay(day);
    }
    assertThat(checked).isGreaterThan(1000);
    assertThat(none).as("none is sometimes best").isPositive();
  }

  @Test
  void oracleSendsNothingWhenEverySendLosesValue() {
    SimConfig losing =
        Worlds.with(
            config,
            List.of(
                Worlds.campaign("a", "email", Worlds.flat(-0.001, 0)),
                Worlds.campaign("b", "push", Worlds.flat(0.0, 0.01))),
            0.35,
            0.9);
    DailyLedger l = LocalRun.run(losing, customers, streams, Worlds.START, Baselines.oracle());
    assertThat(l.sends(0, losing.days())).isZero();
  }

  @Test
  void manualTakesTheFirstCampaignOfItsOrderTheCustomerMayGet() {
    LocalPolicy manual = Baselines.manual(List.of(4, 2, 0));
    Visit v = Worlds.visit(0, 0, "mobile");
    assertThat(manual.choose(v, List.of(0, 1, 2, 3, 4), null)).isEqualTo(4);
    assertThat(manual.choose(v, List.of(0, 1, 2, 3), null)).isEqualTo(2);
    assertThat(manual.choose(v, List.of(1, 3), null)).isEqualTo(LocalPolicy.NONE);
  }

  @Test
  void randomIsUniformOverTheCandidatesAndNone() {
    LocalPolicy random = Baselines.random(streams);
    int[] counts = new int[4];
    int n = 30_000;
    SplittableRandom days = new SplittableRandom(1);
    for (int i = 0; i < n; i++) {
      int choice =
          random.choose(Worlds.visit(i, days.nextInt(100), "mobile"), List.of(3, 5, 7), null);
      counts[choice == LocalPolicy.NONE ? 0 : (choice - 1) / 2]++;
    }
    for (int c : counts) {
      assertThat(c / (double) n).isCloseTo(0.25, within(0.015));
    }
  }

  @Test
  void randomRepeatsItselfForTheSameCustomerAndDay() {
    LocalPolicy random = Baselines.random(streams);
    Visit v = Worlds.visit(17, 9, "desktop");
    int first = random.choose(v, List.of(0, 1, 2, 3, 4), null);
    for (int i = 0; i < 10; i++) {
      assertThat(random.choose(v, List.of(0, 1, 2, 3, 4), null)).isEqualTo(first);
    }
  }

  @Test
  void onTheDefaultWorldTheOracleBeatsEveryOtherBaseline() {
    var ledgers = LocalRun.baselines(config, customers, streams, Worlds.START);
    Report r = Report.of(customers.size(), config.firstMeasuredDay(), ledgers);
    double oracle = r.row(Report.ORACLE).upliftPerCustomerDay();
    assertThat(oracle).isGreaterThan(r.row(Report.MANUAL).upliftPerCustomerDay());
    assertThat(oracle).isGreaterThan(r.row(Report.RANDOM).upliftPerCustomerDay());
    assertThat(oracle).isPositive();
  }
}
