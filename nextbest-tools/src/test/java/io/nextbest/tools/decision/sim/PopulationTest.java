package io.nextbest.tools.decision.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PopulationTest {
  private final SimConfig config = Worlds.defaults(20_000, 60);

  @Test
  void sameSeedDrawsTheSamePopulation() {
    var a = Population.draw(config, new RandomStreams(42), "r-");
    var b = Population.draw(config, new RandomStreams(42), "r-");
    assertThat(a).isEqualTo(b);
  }

  @Test
  void aCustomerDependsOnlyOnTheSeedAndItsIndex() {
    var small = Population.draw(Worlds.defaults(10, 60), new RandomStreams(42), "r-");
    var large = Population.draw(Worlds.defaults(500, 60), new RandomStreams(42), "r-");
    assertThat(large.subList(0, 10)).isEqualTo(small);
    var other = Population.draw(Worlds.defaults(10, 60), new RandomStreams(43), "r-");
    assertThat(other).isNotEqualTo(small);
  }

  @Test
  void traitsFollowTheConfiguredShares() {
    List<Customer> all = Population.draw(config, new RandomStreams(7), "r-");
    double n = all.size();
    assertThat(all.stream().filter(Customer::vip).count() / n).isCloseTo(0.10, within(0.01));
    assertThat(all.stream().filter(c -> c.region().equals("north")).count() / n)
        .isCloseTo(0.5, within(0.015));
    assertThat(all.stream().filter(c -> c.favourite().equals("shoes")).count() / n)
        .isCloseTo(0.30, within(0.015));
    assertThat(all.stream().filter(c -> c.ageBand().equals("senior")).count() / n)
        .isCloseTo(0.25, within(0.015));
    assertThat(all)
        .allSatisfy(
            c -> {
              assertThat(c.priceSensitivity()).isBetween(0.0, 1.0);
              assertThat(c.baseRate()).isBetween(0.0005, config.maxDailyProbability());
              assertThat(c.preferredHour()).isBetween(7, 22);
              assertThat(c.id()).matches("r-c\\d{6}");
            });
  }

  @Test
  void youngCustomersAreMorePriceSensitiveAndMoreOnMobile() {
    List<Customer> all = Population.draw(config, new RandomStreams(7), "r-");
    assertThat(mean(all, "young", true)).isGreaterThan(mean(all, "senior", true) + 0.2);
    assertThat(mean(all, "young", false)).isGreaterThan(mean(all, "senior", false) + 0.3);
  }

  @Test
  void vipsBuyMoreOftenAndSpendMore() {
    List<Customer> all = Population.draw(config, new RandomStreams(7), "r-");
    double vipRate =
        all.stream().filter(Customer::vip).mapToDouble(Customer::baseRate).average().orElseThrow();
    double rate =
        all.stream().filter(c -> !c.vip()).mapToDouble(Customer::baseRate).average().orElseThrow();
    assertThat(vipRate / rate).isCloseTo(2.0, within(0.3));
    double vipOrder =
        all.stream()
            .filter(Customer::vip)
            .mapToDouble(Customer::meanOrderValue)
            .average()
            .orElseThrow();
    double order =
        all.stream()
            .filter(c -> !c.vip())
            .mapToDouble(Customer::meanOrderValue)
            .average()
            .orElseThrow();
    assertThat(vipOrder / order).isCloseTo(1.5, within(0.15));
  }

  private static double mean(List<Customer> all, String band, boolean priceSensitivity) {
    return all.stream()
        .filter(c -> c.ageBand().equals(band))
        .mapToDouble(
            c -> priceSensitivity ? c.priceSensitivity() : c.device().equals("mobile") ? 1 : 0)
        .average()
        .orElseThrow();
  }
}
