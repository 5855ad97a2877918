package io.nextbest.tools.decision.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.models.policy.DecisionPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineRunTest {
  private final RandomStreams streams = new RandomStreams(42);

  private Report report(SimConfig config, DecisionPolicy.Mode mode) {
    List<Customer> customers = Population.draw(config, streams, "e-");
    Map<String, DailyLedger> ledgers = LocalRun.baselines(config, customers, streams, Worlds.START);
    EngineRun engine = new EngineRun(config, customers, EngineRun.Settings.defaults(mode));
    ledgers.put(Report.ENGINE, engine.run(streams, Worlds.START, null));
    return Report.of(config.customers(), config.firstMeasuredDay(), ledgers);
  }

  @Test
  void learnsToSendWhatPaysAndNotWhatLoses() {
    // manual priority sends the losing campaign first; the engine must find the paying one
    SimConfig config =
        Worlds.with(
            Worlds.defaults(600, 45),
            List.of(
                Worlds.campaign("loses", "email", Worlds.flat(-0.004, 0)),
                Worlds.campaign("pays", "push", Worlds.flat(0.03, 0))),
            0.35,
            0.9);
    Report r = report(config, DecisionPolicy.Mode.LIVE);
    double oracle = r.row(Report.ORACLE).upliftPerCustomerDay();
    double manual = r.row(Report.MANUAL).upliftPerCustomerDay();
    double engine = r.row(Report.ENGINE).upliftPerCustomerDay();
    assertThat(manual).isNegative();
    assertThat(oracle).isPositive();
    assertThat(engine).as("share of the oracle's uplift").isGreaterThan(0.7 * oracle);
  }

  @Test
  void judgesEveryMeasuredDecisionAgainstTheOracle() {
    SimConfig config = Worlds.defaults(400, 30);
    List<Customer> customers = Population.draw(config, streams, "j-");
    Map<String, DailyLedger> ledgers = LocalRun.baselines(config, customers, streams, Worlds.START);
    EngineRun engine =
        new EngineRun(config, customers, EngineRun.Settings.defaults(DecisionPolicy.Mode.LIVE));
    DailyLedger ledger = engine.run(streams, Worlds.START, null);
    Regret r = engine.regret();
    long judged = 0;
    for (Regret.Kind k : Regret.Kind.values()) {
      judged += r.moments(k);
      assertThat(r.lost(k)).as(k.name()).isGreaterThanOrEqualTo(0);
    }
    long moments = 0;
    for (int d = config.firstMeasuredDay(); d < config.days(); d++) {
      moments += ledger.moments(d);
    }
    assertThat(judged).isEqualTo(moments).isPositive();
    for (CampaignSpec c : config.campaigns()) {
      long believed = 0;
      for (String device : List.of("mobile", "desktop")) {
        double[] b = r.belief(c.id(), device);
        if (b != null) {
          assertThat(Double.isFinite(b[0]) && Double.isFinite(b[1])).as(c.id()).isTrue();
          believed++;
        }
      }
      assertThat(believed).as(c.id()).isPositive();
    }
    assertThat(r.oracleValue()).isPositive();
    assertThat(ledgers).containsKey(Report.ORACLE);
  }

  @Test
  void beatsRandomAndManualPriorityInTheDefaultShop() {
    Report r = report(Worlds.defaults(1000, 45), DecisionPolicy.Mode.LIVE);
    double engine = r.row(Report.ENGINE).upliftPerCustomerDay();
    assertThat(engine).isGreaterThan(r.row(Report.RANDOM).upliftPerCustomerDay());
    assertThat(engine).isGreaterThan(r.row(Report.MANUAL).upliftPerCustomerDay());
    assertThat(r.row(Report.ENGINE).unsubscribes())
        .isLessThanOrEqualTo(r.row(Report.MANUAL).unsubscribes());
  }

  @Test
  void apprenticeWithoutPrioritiesIsUniformOverTheActions() {
    // no campaign has a priority: the apprentice has no order to imitate, it behaves like random
    Report r = report(Worlds.defaults(400, 30), DecisionPolicy.Mode.APPRENTICE);
    double sends = r.row(Report.ENGINE).sendsPerCustomerDay();
    double random = r.row(Report.RANDOM).sendsPerCustomerDay();
    assertThat(sends).isBetween(0.85 * random, 1.15 * random);
  }

  @Test
  void theSameWorldAndSettingsGiveTheSameRun() {
    SimConfig config = Worlds.defaults(300, 20);
    List<Customer> customers = Population.draw(config, streams, "e-");
    EngineRun.Settings s = EngineRun.Settings.defaults(DecisionPolicy.Mode.LIVE);
    DailyLedger a = new EngineRun(config, customers, s).run(streams, Worlds.START, null);
    DailyLedger b = new EngineRun(config, customers, s).run(streams, Worlds.START, null);
    for (int d = 0; d < config.days(); d++) {
      assertThat(a.value(d)).isEqualTo(b.value(d));
      assertThat(a.sends(d)).isEqualTo(b.sends(d));
    }
  }

  @Test
  void anotherStreamIsTheSameShopWithOtherDrawsOfTheEngine() {
    SimConfig config = Worlds.defaults(300, 20);
    List<Customer> customers = Population.draw(config, streams, "e-");
    EngineRun.Settings s = EngineRun.Settings.defaults(DecisionPolicy.Mode.LIVE);
    EngineRun.Settings other = s.with("stream=1");
    assertThat(other.stream()).isEqualTo(1);
    DailyLedger a = new EngineRun(config, customers, s).run(streams, Worlds.START, null);
    DailyLedger b = new EngineRun(config, customers, other).run(streams, Worlds.START, null);
    DailyLedger again = new EngineRun(config, customers, other).run(streams, Worlds.START, null);
    boolean differs = false;
    for (int d = 0; d < config.days(); d++) {
      // a stream is reproducible, and it is not stream 0's
      assertThat(again.sends(d)).isEqualTo(b.sends(d));
      assertThat(again.value(d)).isEqualTo(b.value(d));
      differs |= a.sends(d) != b.sends(d);
    }
    assertThat(differs).as("the engine drew otherwise on some day").isTrue();
  }

  @Test
  void engineSettingsChangeOneByOneAndRefuseWhatTheyDoNotKnow() {
    EngineRun.Settings s =
        EngineRun.Settings.defaults(DecisionPolicy.Mode.LIVE)
            .with(
                "temperature=0.5, horizon-days=3,unsubscribe-cost=4, unsubscribe-share=0.2,"
                    + "unsubscribe-share-floor=0.05");
    assertThat(s.temperature()).isEqualTo(0.5);
    assertThat(s.horizonDays()).isEqualTo(3);
    assertThat(s.unsubscribeCost()).isEqualTo(4);
    assertThat(s.unsubscribeShare()).isEqualTo(0.2);
    assertThat(s.unsubscribeShareFloor()).isEqualTo(0.05);
    assertThat(EngineRun.Settings.defaults(DecisionPolicy.Mode.LIVE).unsubscribeShareFloor())
        .isEqualTo(0.1);
    assertThat(s.epsilon()).isEqualTo(0.02);
    assertThat(EngineRun.Settings.defaults(DecisionPolicy.Mode.LIVE).with(""))
        .isEqualTo(EngineRun.Settings.defaults(DecisionPolicy.Mode.LIVE));
    for (String bad : List.of("speed=2", "temperature", "epsilon=-1", "arm-prior=NaN", "ridge=x")) {
      assertThatThrownBy(() -> EngineRun.Settings.defaults(DecisionPolicy.Mode.LIVE).with(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--engine");
    }
  }
}
