package io.nextbest.tools.decision.sim;

import io.nextbest.tools.decision.sim.RandomStreams.Purpose;
import io.nextbest.tools.decision.sim.SimConfig.PopulationSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Draws the synthetic customers; customer i depends only on the seed and i. */
public final class Population {
  private Population() {}

  /** The population of {@code config}, ids {@code <idPrefix>c<index>}. */
  public static List<Customer> draw(SimConfig config, RandomStreams streams, String idPrefix) {
    List<Customer> customers = new ArrayList<>(config.customers());
    for (int i = 0; i < config.customers(); i++) {
      customers.add(customer(config, streams.of(Purpose.POPULATION, i, 0), i, idPrefix));
    }
    return customers;
  }

  static Customer customer(SimConfig config, SplittableRandom r, int i, String idPrefix) {
    PopulationSpec p = config.population();
    String band = pick(p.ageBands(), r.nextDouble());
    String region = r.nextDouble() < p.northShare() ? "north" : "south";
    boolean vip = r.nextDouble() < p.vipShare();
    String favourite = config.categories().get(pickIndex(p.favouriteWeights(), r.nextDouble()));
    double shift =
        p.ageBandPriceShift() == null ? 0 : p.ageBandPriceShift().getOrDefault(band, 0.0);
    double ps =
        clamp(
            p.priceSensitivityMean() + shift + p.priceSensitivitySd() * RandomStreams.gaussian(r),
            0,
            1);
    double mobile = p.ageBandMobile() == null ? 0.5 : p.ageBandMobile().getOrDefault(band, 0.5);
    String device = r.nextDouble() < mobile ? "mobile" : "desktop";
    double rate =
        p.baseRateMedian()
            * Math.exp(p.baseRateSpread() * RandomStreams.gaussian(r))
            * (vip ? p.vipRateFactor() : 1);
    rate = clamp(rate, 0.0005, config.maxDailyProbability());
    double mu =
        Math.log(p.orderValueMedian() * (vip ? p.vipOrderFactor() : 1))
            + p.orderValueSpread() * RandomStreams.gaussian(r);
    int hour = (int) clamp(Math.round(14 + 4 * RandomStreams.gaussian(r)), 7, 22);
    return new Customer(
        i,
        idPrefix + "c" + String.format("%06d", i),
        band,
        region,
        vip,
        favourite,
        ps,
        device,
        rate,
        mu,
        p.orderValueSigma(),
        hour);
  }

  /** The key whose cumulative share first exceeds {@code u} (shares need not sum to 1). */
  static String pick(Map<String, Double> shares, double u) {
    double total = shares.values().stream().mapToDouble(Double::doubleValue).sum();
    double acc = 0;
    String last = null;
    for (var e : shares.entrySet()) {
      acc += e.getValue() / total;
      last = e.getKey();
      if (u < acc) {
        return last;
      }
    }
    return last;
  }

  static int pickIndex(List<Double> weights, double u) {
    double total = weights.stream().mapToDouble(Double::doubleValue).sum();
    double acc = 0;
    for (int i = 0; i < weights.size(); i++) {
      acc += weights.get(i) / total;
      if (u < acc) {
        return i;
      }
    }
    return weights.size() - 1;
  }

  static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
