package io.nextbest.tools.decision.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the simulator's world is made of. {@link #defaults()} is the built-in world; a JSON
 * file given with {@code --config} is merged over it key by key (objects merge, lists and values
 * replace), so a file may change one number or the whole campaign list.
 *
 * @param customers population size
 * @param days simulated days; day 0 starts at midnight UTC this many days before today
 * @param seed the seed of every random stream (population, visits, purchases, unsubscribes)
 * @param measureFrom first measured day; null for a third of the days (the learning period before
 *     it counts in the plot, not in the table)
 * @param visitProbability chance that a customer visits on a day (each visit is a decision moment)
 * @param categories product categories; a customer has a favourite among them
 * @param population how customers are drawn
 * @param campaigns the campaigns and their true effects
 * @param manualOrder the marketer's fixed priority, campaign ids (without the run prefix)
 * @param unsubscribeCost what an unsubscribe from a channel costs in future value, as the oracle
 *     counts it (the simulator's own definition; the realised cost is the contacts lost)
 * @param effectDays how many days a send raises the purchase probability, the send's day included
 * @param maxDailyProbability the daily purchase probability never exceeds this
 * @param conversionOutcomeShare share of campaign-driven purchases also reported as a conversion
 *     outcome with the same order id (the engine must count such a purchase once)
 */
public record SimConfig(
    int customers,
    int days,
    long seed,
    Integer measureFrom,
    double visitProbability,
    List<String> categories,
    PopulationSpec population,
    List<CampaignSpec> campaigns,
    List<String> manualOrder,
    Map<String, Double> unsubscribeCost,
    int effectDays,
    double maxDailyProbability,
    double conversionOutcomeShare) {

  /**
   * How customers are drawn.
   *
   * @param ageBands share of each age band (young, mid, senior)
   * @param ageBandPriceShift added to the price sensitivity of each band
   * @param ageBandMobile probability that a customer of the band prefers mobile
   * @param northShare share of customers in region north (the rest: south)
   * @param vipShare share of VIP customers
   * @param favouriteWeights weight of each category as a favourite, in the order of categories
   * @param priceSensitivityMean mean price sensitivity before the band's shift (clipped to [0,1])
   * @param priceSensitivitySd its standard deviation between customers
   * @param baseRateMedian median daily probability of an organic purchase
   * @param baseRateSpread lognormal sigma of the base rate between customers
   * @param vipRateFactor a VIP's base rate multiplier
   * @param orderValueMedian median order value
   * @param orderValueSpread lognormal sigma of a customer's median order value between customers
   * @param orderValueSigma lognormal sigma of one customer's order values
   * @param vipOrderFactor a VIP's order value multiplier
   * @param favouriteViewShare share of views in the favourite category
   * @param preferredDeviceShare share of visits made on the preferred device
   * @param addToCartProbability chance that a visit adds something to the cart
   * @param siteCodeRate chance, times price sensitivity, that a visit with a cart applies a site
   *     discount code (a custom {@code discount_code_used} event: the price-sensitivity signal)
   */
  public record PopulationSpec(
      Map<String, Double> ageBands,
      Map<String, Double> ageBandPriceShift,
      Map<String, Double> ageBandMobile,
      double northShare,
      double vipShare,
      List<Double> favouriteWeights,
      double priceSensitivityMean,
      double priceSensitivitySd,
      double baseRateMedian,
      double baseRateSpread,
      double vipRateFactor,
      double orderValueMedian,
      double orderValueSpread,
      double orderValueSigma,
      double vipOrderFactor,
      double favouriteViewShare,
      double preferredDeviceShare,
      double addToCartProbability,
      double siteCodeRate) {}

  /** The first measured day. */
  public int firstMeasuredDay() {
    return measureFrom == null ? days / 3 : measureFrom;
  }

  /** The built-in world: 1,000 customers, 60 days, five campaigns. */
  public static SimConfig defaults() {
    List<String> categories = List.of("shoes", "bags", "beauty", "home");
    PopulationSpec population =
        new PopulationSpec(
            ordered("young", 0.30, "mid", 0.45, "senior", 0.25),
            ordered("young", 0.15, "mid", 0.0, "senior", -0.15),
            ordered("young", 0.80, "mid", 0.60, "senior", 0.35),
            0.5,
            0.10,
            List.of(0.30, 0.25, 0.25, 0.20),
            0.45,
            0.20,
            0.02,
            0.6,
            2.0,
            45.0,
            0.3,
            0.5,
            1.5,
            0.7,
            0.8,
            0.25,
            0.3);
    List<CampaignSpec> campaigns =
        List.of(
            new CampaignSpec(
                "sim-shoes",
                "email",
                "shoes",
                0,
                List.of("promo"),
                new CampaignSpec.Effect(
                    0.0005, 0.0075, -0.0005, 0, 0, 0, 0.0012, List.of(), 0.002, 0.002)),
            new CampaignSpec(
                "sim-bags",
                "email",
                "bags",
                0,
                List.of("promo"),
                new CampaignSpec.Effect(
                    0.0005, 0.0065, -0.0005, 0, 0, 0, 0.0012, List.of(), 0.002, 0.002)),
            new CampaignSpec(
                "sim-discount20",
                "email",
                null,
                20,
                List.of("promo", "discount"),
                new CampaignSpec.Effect(
                    0.0005,
                    0,
                    0,
                    0.06,
                    0,
                    0,
                    0.0012,
                    List.of(new CampaignSpec.SegmentEffect("vip", "true", -0.004)),
                    0.002,
                    0.002)),
            new CampaignSpec(
                "sim-push-app",
                "push",
                null,
                0,
                List.of("app"),
                new CampaignSpec.Effect(
                    0.001,
                    0,
                    0,
                    0,
                    0.005,
                    -0.001,
                    0.0015,
                    List.of(new CampaignSpec.SegmentEffect("ageBand", "senior", -0.004)),
                    0.004,
                    0.004)),
            new CampaignSpec(
                "sim-newsletter",
                "email",
                null,
                0,
                List.of("newsletter"),
                new CampaignSpec.Effect(0.002, 0, 0, 0, 0, 0, 0.0006, List.of(), 0.001, 0.002)));
    return new SimConfig(
        1000,
        60,
        42,
        null,
        0.35,
        categories,
        population,
        campaigns,
        List.of("sim-newsletter", "sim-discount20", "sim-shoes", "sim-bags", "sim-push-app"),
        ordered("email", 15.0, "push", 5.0),
        7,
        0.9,
        0.5);
  }

  /** The defaults with a JSON file merged over them. */
  public static SimConfig read(Path file, ObjectMapper json) throws IOException {
    return merge(json.readTree(file.toFile()), json);
  }

  /** The defaults with {@code override} merged over them, checked. */
  static SimConfig merge(JsonNode override, ObjectMapper json) throws IOException {
    ObjectNode tree = json.valueToTree(defaults());
    if (override != null && !override.isObject()) {
      throw new IllegalArgumentException("the configuration must be a JSON object");
    }
    if (override != null) {
      mergeInto(tree, (ObjectNode) override);
    }
    SimConfig config =
        json.readerFor(SimConfig.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .readValue(tree);
    config.check();
    return config;
  }

  private static void mergeInto(ObjectNode target, ObjectNode override) {
    override
        .properties()
        .forEach(
            e -> {
              JsonNode current = target.get(e.getKey());
              if (current instanceof ObjectNode o && e.getValue() instanceof ObjectNode v) {
                mergeInto(o, v);
              } else {
                target.set(e.getKey(), e.getValue());
              }
            });
  }

  /** A copy with the command line's population size, length and seed. */
  public SimConfig with(int customers, int days, long seed, Integer measureFrom) {
    return new SimConfig(
        customers,
        days,
        seed,
        measureFrom,
        visitProbability,
        categories,
        population,
        campaigns,
        manualOrder,
        unsubscribeCost,
        effectDays,
        maxDailyProbability,
        conversionOutcomeShare);
  }

  /** Refuses a world that cannot be simulated, naming what to fix. */
  public void check() {
    List<String> problems = new ArrayList<>();
    if (customers < 1 || customers > 1_000_000) {
      problems.add("customers must be 1 to 1000000");
    }
    if (days < 2 || days > 3650) {
      problems.add("days must be 2 to 3650");
    }
    int from = firstMeasuredDay();
    if (from < 0 || from >= days) {
      problems.add("measureFrom must be a day from 0 to days - 1");
    }
    if (visitProbability < 0 || visitProbability > 1) {
      problems.add("visitProbability must be in [0, 1]");
    }
    if (categories == null || categories.isEmpty()) {
      problems.add("categories must name at least one category");
    } else if (population != null
        && (population.favouriteWeights() == null
            || population.favouriteWeights().size() != categories.size())) {
      problems.add("population.favouriteWeights must have one weight per category");
    }
    if (population == null || population.ageBands() == null || population.ageBands().isEmpty()) {
      problems.add("population.ageBands must name at least one band");
    }
    if (campaigns == null || campaigns.isEmpty()) {
      problems.add("campaigns must hold at least one campaign");
    } else {
      Set<String> ids = new HashSet<>();
      for (CampaignSpec c : campaigns) {
        if (c.id() == null || !c.id().matches("[A-Za-z0-9._-]{1,100}")) {
          problems.add("campaign id '" + c.id() + "' must be 1-100 letters, digits or ._-");
        } else if (!ids.add(c.id())) {
          problems.add("campaign id '" + c.id() + "' appears twice");
        }
        if (c.channel() == null || !c.channel().matches("email|push|web|sms")) {
          problems.add("campaign " + c.id() + ": channel must be email, push, web or sms");
        }
        if (c.effect() == null) {
          problems.add("campaign " + c.id() + ": effect is required");
        }
        if (c.discountDepth() < 0 || c.discountDepth() >= 100) {
          problems.add("campaign " + c.id() + ": discountDepth must be 0 to 99");
        }
      }
      if (manualOrder != null) {
        for (String id : manualOrder) {
          if (!ids.contains(id)) {
            problems.add("manualOrder names '" + id + "', which is not a campaign");
          }
        }
      }
    }
    if (effectDays < 1 || effectDays > 60) {
      problems.add("effectDays must be 1 to 60");
    }
    if (maxDailyProbability <= 0 || maxDailyProbability > 1) {
      problems.add("maxDailyProbability must be in (0, 1]");
    }
    if (conversionOutcomeShare < 0 || conversionOutcomeShare > 1) {
      problems.add("conversionOutcomeShare must be in [0, 1]");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid simulation: " + String.join("; ", problems));
    }
  }

  /** The index of each campaign in the marketer's order, unknown ids left out. */
  public List<Integer> manualIndexes() {
    List<Integer> order = new ArrayList<>();
    for (String id : manualOrder == null ? List.<String>of() : manualOrder) {
      for (int i = 0; i < campaigns.size(); i++) {
        if (campaigns.get(i).id().equals(id)) {
          order.add(i);
        }
      }
    }
    return order;
  }

  /** The oracle's cost of an unsubscribe from {@code channel}. */
  public double unsubscribeCostOf(String channel) {
    return unsubscribeCost == null ? 0 : unsubscribeCost.getOrDefault(channel, 0.0);
  }

  private static <V> Map<String, V> ordered(Object... kv) {
    Map<String, V> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      @SuppressWarnings("unchecked")
      V v = (V) kv[i + 1];
      m.put((String) kv[i], v);
    }
    return m;
  }
}
