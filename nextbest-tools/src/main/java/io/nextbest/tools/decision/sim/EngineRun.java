package io.nextbest.tools.decision.sim;

import io.nextbest.events.Moment.EligibleCampaign;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.models.policy.CampaignAttributes;
import io.nextbest.models.policy.DecisionPolicy;
import io.nextbest.models.policy.FeatureEncoder;
import io.nextbest.models.policy.FeatureSchema;
import io.nextbest.models.policy.LinearArm;
import io.nextbest.models.policy.PolicyModel;
import io.nextbest.models.policy.ThompsonPolicy;
import io.nextbest.models.policy.UnsubscribeCost;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The decision engine's own code — feature encoder, policy, horizon rewards and learning — run
 * in-process against the simulated shop, with the profile features built from the same events the
 * live run sends: what the live system would learn, in seconds instead of an hour, for trying
 * settings before changing them on the services. It follows the live learner: a decision is learned
 * once its horizon has closed, at the end of a simulated day, with the value of its own horizon as
 * its reward.
 */
public final class EngineRun {
  /** The service's {@code nextbest.decision.apprentice-model-share}. */
  private static final double APPRENTICE_MODEL_SHARE = 0.25;

  /** Learned decisions each side needs before a channel's share is measured, as the service. */
  private static final long UNSUBSCRIBE_SHARE_MINIMUM = 500;

  /**
   * The engine's settings.
   *
   * @param mode live or apprentice (as a new installation starts; it never promotes here)
   * @param epsilon uniform exploration of the live policy
   * @param temperature scale of the posterior spread of the live policy's draws
   * @param armPrior prior precision of an arm's deviation from the base
   * @param horizonDays days of a decision's reward
   * @param weeklyDiscount discount per week after the decision
   * @param unsubscribeCost what an unsubscribe costs a customer without purchases yet
   * @param unsubscribeShare the channel's incremental share of a customer's value until it is
   *     measured ({@link UnsubscribeCost}); an unsubscribe costs that share of the customer's
   *     annualised spend so far, the in-process stand-in for the CLV model's 12-month value
   * @param unsubscribeShareFloor the least share a measurement gives (as the service's {@code
   *     rewards.unsubscribe-share-floor})
   * @param stream which stream of random draws the engine takes (0: the decision ids alone seed
   *     them, as the service does); the same shop with another stream shows how far a run's result
   *     depends on its own draws
   */
  public record Settings(
      DecisionPolicy.Mode mode,
      double epsilon,
      double temperature,
      double armPrior,
      int horizonDays,
      double weeklyDiscount,
      double unsubscribeCost,
      double unsubscribeShare,
      double unsubscribeShareFloor,
      int stream) {
    /** The service's defaults ({@code nextbest.decision.*}). */
    public static Settings defaults(DecisionPolicy.Mode mode) {
      return new Settings(mode, 0.02, 0.25, 1000, 7, 0.9, 10, 0.1, 0.1, 0);
    }

    /**
     * These settings with some changed, from {@code key=value} pairs separated by commas: {@code
     * epsilon}, {@code temperature}, {@code arm-prior}, {@code horizon-days}, {@code
     * weekly-discount}, {@code unsubscribe-cost}, {@code unsubscribe-share}, {@code
     * unsubscribe-share-floor}, {@code stream} (the {@code --engine} option of simulate).
     */
    public Settings with(String changes) {
      double eps = epsilon;
      double temp = temperature;
      double prior = armPrior;
      int horizon = horizonDays;
      double discount = weeklyDiscount;
      double unsubscribe = unsubscribeCost;
      double share = unsubscribeShare;
      double floor = unsubscribeShareFloor;
      int salt = stream;
      for (String pair : changes.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        String[] kv = pair.split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException(
              "--engine expects key=value pairs, got '" + pair + "'");
        }
        String key = kv[0].strip();
        double v;
        try {
          v = Double.parseDouble(kv[1].strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--engine " + key + " must be a number");
        }
        if (!Double.isFinite(v) || v < 0) {
          throw new IllegalArgumentException("--engine " + key + " must be a finite number >= 0");
        }
        switch (key) {
          case "epsilon" -> eps = v;
          case "temperature" -> temp = v;
          case "arm-prior" -> prior = v;
          case "horizon-days" -> horizon = Math.max(1, (int) v);
          case "weekly-discount" -> discount = v;
          case "unsubscribe-cost" -> unsubscribe = v;
          case "unsubscribe-share" -> share = Math.min(1, v);
          case "unsubscribe-share-floor" -> floor = Math.min(1, v);
          case "stream" -> salt = (int) Math.min(Integer.MAX_VALUE, v);
          default -> throw new IllegalArgumentException("--engine has no setting '" + key + "'");
        }
      }
      return new Settings(
          mode, eps, temp, prior, horizon, discount, unsubscribe, share, floor, salt);
    }
  }

  /** What profile-service would know of a customer. */
  private static final class Profile {
    final Map<String, Long> views = new TreeMap<>();
    final Map<String, Long> bought = new TreeMap<>();
    final TreeSet<Long> purchaseDays = new TreeSet<>();
    final double[] hourOfWeek = new double[168];
    long viewTotal;
    long boughtTotal;
    long purchases;
    double monetary;
    long discountOrders;
    long discountEvents;
    Instant firstEventAt;
    Instant lastEventAt;
    Instant firstPurchaseAt;
    Instant lastPurchaseAt;
    final List<FeatureEncoder.Send> sends = new ArrayList<>();
    final List<Purchase> orders = new ArrayList<>();
  }

  private record Pending(
      int customer,
      Instant at,
      String decisionId,
      String armId,
      List<String> tokens,
      double[] x,
      Double remaining) {}

  private final SimConfig config;
  private final List<Customer> customers;
  private final Settings settings;
  private final FeatureEncoder encoder = new FeatureEncoder(FeatureSchema.defaults());
  private final DecisionPolicy policy;
  private final Map<String, LinearArm> stats = new HashMap<>();
  private final Deque<Pending> pending = new ArrayDeque<>();
  private final Map<String, Integer> unsubscribes = new HashMap<>();
  private final Profile[] profiles;
  private final Regret regret = new Regret();
  private final double[] armPrior;
  private final UnsubscribeCost unsubscribe;
  private PolicyModel model;
  private long version;
  private long decisions;

  public EngineRun(SimConfig config, List<Customer> customers, Settings settings) {
    this.config = config;
    this.customers = customers;
    this.settings = settings;
    this.policy =
        new DecisionPolicy(
            new DecisionPolicy.Settings(
                settings.epsilon(), 0.1, 64, settings.temperature(), APPRENTICE_MODEL_SHARE));
    this.armPrior = encoder.armPrior(settings.armPrior());
    this.unsubscribe =
        new UnsubscribeCost(
            settings.unsubscribeShare(),
            UNSUBSCRIBE_SHARE_MINIMUM,
            settings.unsubscribeCost(),
            settings.unsubscribeShareFloor());
    this.model = PolicyModel.empty(1.0, armPrior);
    this.profiles = new Profile[customers.size()];
    for (int i = 0; i < profiles.length; i++) {
      profiles[i] = new Profile();
    }
  }

  /** Runs the whole period on a fresh world; the ledger of what the engine did. */
  public DailyLedger run(RandomStreams streams, Instant start, PrintStream progress) {
    Market market = new Market(config, customers, streams, start);
    for (int day = 0; day < config.days(); day++) {
      for (Visit v : market.visits(day)) {
        observe(v);
        List<Integer> candidates = market.candidates(v.customer());
        if (candidates.isEmpty()) {
          continue;
        }
        market.moment(v);
        String decisionId =
            (settings.stream() == 0 ? "engine:" : "engine" + settings.stream() + ":")
                + v.customer()
                + ":"
                + day;
        boolean measured = day >= config.firstMeasuredDay();
        int choice = decide(v, candidates, decisionId, measured ? market : null);
        if (measured) {
          regret.judge(market, v, candidates, choice);
        }
        if (choice != LocalPolicy.NONE) {
          CampaignSpec spec = config.campaigns().get(choice);
          profiles[v.customer()].sends.add(
              new FeatureEncoder.Send(spec.id(), spec.channel(), v.decisionAt()));
          Unsubscribe u = market.send(v, choice, decisionId);
          if (u != null) {
            unsubscribes.merge(decisionId, 1, Integer::sum);
          }
        }
      }
      for (Purchase p : market.closeDay(day)) {
        bought(p);
      }
      learn(start.plus(Duration.ofDays(day + 1L)));
      if (progress != null && (day + 1) % 10 == 0) {
        progress.printf(
            "engine: day %d/%d, %,d decisions, model version %d%n",
            day + 1, config.days(), decisions, version);
      }
    }
    return market.ledger();
  }

  /** Where the engine lost against the oracle over the measured days of the last run. */
  public Regret regret() {
    return regret;
  }

  /**
   * Decides at the visit; with {@code measured} (a market) also records what the model believed
   * each candidate's send worth against its true value.
   */
  private int decide(Visit v, List<Integer> candidates, String decisionId, Market measured) {
    decisions++;
    Customer c = customers.get(v.customer());
    Profile p = profiles[v.customer()];
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("device", v.device());
    context.put("page", v.page());
    context.put("hourOfDay", v.hourOfDay());
    context.put("cartValue", v.cartValue());
    FeatureEncoder.Encoded encoded =
        encoder.encode(snapshot(c, p), context, p.sends, v.decisionAt());
    double[] none = encoder.full(encoded.shared(), encoded.facts(), null, null, true);
    List<DecisionPolicy.Arm> arms = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    for (int k : candidates) {
      CampaignSpec spec = config.campaigns().get(k);
      CampaignAttributes a =
          new CampaignAttributes(
              spec.category(),
              spec.discountDepth() > 0 ? (double) spec.discountDepth() : null,
              spec.tags() == null ? List.of() : spec.tags());
      arms.add(
          new DecisionPolicy.Arm(
              new EligibleCampaign(spec.id(), null, spec.channel(), null),
              encoder.full(encoded.shared(), encoded.facts(), a, spec.channel(), false),
              a.tokens(spec.channel())));
      index.put(spec.id(), k);
    }
    DecisionPolicy.Result r =
        policy.decide(none, arms, model, settings.mode(), id -> List.of(), decisionId.hashCode());
    if (measured != null) {
      double noneValue = model.posterior(ThompsonPolicy.NONE).predictMean(none);
      for (DecisionPolicy.Arm a : arms) {
        regret.believe(
            a.id(),
            v.device(),
            model.posterior(a.id(), a.tokens()).predictMean(a.x()) - noneValue,
            measured.expectedValue(v, index.get(a.id())));
      }
    }
    String armId = r.campaign().map(EligibleCampaign::campaignId).orElse(ThompsonPolicy.NONE);
    double[] x = none;
    List<String> tokens = List.of();
    for (DecisionPolicy.Arm a : arms) {
      if (a.id().equals(armId)) {
        x = a.x();
        tokens = a.tokens();
      }
    }
    pending.addLast(
        new Pending(
            v.customer(),
            v.decisionAt(),
            decisionId,
            armId,
            tokens,
            x,
            remaining(p, v.decisionAt())));
    return r.campaign().map(e -> index.get(e.campaignId())).orElse(LocalPolicy.NONE);
  }

  /** Learns every decision whose horizon has closed by {@code now}. */
  private void learn(Instant now) {
    Duration horizon = Duration.ofDays(settings.horizonDays());
    boolean learned = false;
    while (!pending.isEmpty() && !pending.peekFirst().at().plus(horizon).isAfter(now)) {
      Pending d = pending.removeFirst();
      double reward = 0;
      for (Purchase o : profiles[d.customer()].orders) {
        if (!o.at().isBefore(d.at()) && o.at().isBefore(d.at().plus(horizon))) {
          double weeks = Duration.between(d.at(), o.at()).toMillis() / (7 * 86_400_000.0);
          reward += o.amount() * Math.pow(settings.weeklyDiscount(), weeks);
        }
      }
      int unsubscribed = unsubscribes.getOrDefault(d.decisionId(), 0);
      if (unsubscribed > 0) {
        double share =
            unsubscribe.share(
                stats, "", UnsubscribeCost.channel(d.tokens()), FeatureEncoder.INTERCEPT);
        reward -= unsubscribed * unsubscribe.cost(d.remaining(), share, Double.MAX_VALUE);
      }

      stats.computeIfAbsent(d.armId(), k -> new LinearArm(d.x().length)).update(d.x(), reward);
      stats
          .computeIfAbsent(PolicyModel.BASE, k -> new LinearArm(d.x().length))
          .update(d.x(), reward);
      if (!ThompsonPolicy.NONE.equals(d.armId())) {
        for (String t : d.tokens()) {
          stats
              .computeIfAbsent(PolicyModel.POOL + t, k -> new LinearArm(d.x().length))
              .update(d.x(), reward);
        }
      }
      learned = true;
    }
    if (learned) {
      model = new PolicyModel(++version, stats, 1.0, armPrior);
    }
  }

  /**
   * The customer's spend so far at a yearly rate (over at least 30 days): the in-process stand-in
   * for the CLV model's predicted 12-month value; null before the first purchase.
   */
  private static Double remaining(Profile p, Instant at) {
    if (p.firstPurchaseAt == null || p.monetary <= 0) {
      return null;
    }
    double days = Math.max(30, Duration.between(p.firstPurchaseAt, at).toSeconds() / 86_400.0);
    return p.monetary * 365 / days;
  }

  private void observe(Visit v) {
    Profile p = profiles[v.customer()];
    for (Visit.PageView view : v.views()) {
      p.views.merge(view.category(), 1L, Long::sum);
      p.viewTotal++;
      event(p, view.at());
    }
    if (v.cartAdd() != null) {
      event(p, v.cartAdd().at());
    }
    if (v.siteCodeAt() != null) {
      p.discountEvents++;
      event(p, v.siteCodeAt());
    }
  }

  private void bought(Purchase o) {
    Profile p = profiles[o.customer()];
    p.orders.add(o);

    p.purchases++;
    p.monetary += o.amount();
    p.discountOrders += o.discountDepth() > 0 ? 1 : 0;
    p.purchaseDays.add(o.at().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay());
    for (Purchase.Item i : o.items()) {
      p.bought.merge(i.category(), (long) i.quantity(), Long::sum);
      p.boughtTotal += i.quantity();
    }
    if (p.firstPurchaseAt == null) {
      p.firstPurchaseAt = o.at();
    }
    p.lastPurchaseAt = o.at();
    event(p, o.at());
  }

  private static void event(Profile p, Instant at) {
    if (p.firstEventAt == null) {
      p.firstEventAt = at;
    }
    p.lastEventAt = at;
    int how = (at.atZone(ZoneOffset.UTC).getDayOfWeek().getValue() - 1) * 24;
    p.hourOfWeek[how + at.atZone(ZoneOffset.UTC).getHour()]++;
  }

  private static ProfileSnapshot snapshot(Customer c, Profile p) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("purchaseCount", p.purchases);
    f.put("monetary", p.monetary);
    f.put("averageOrderValue", p.purchases > 0 ? p.monetary / p.purchases : 0.0);
    f.put("frequency", Math.max(0, p.purchaseDays.size() - 1));
    f.put("firstEventAt", str(p.firstEventAt));
    f.put("lastEventAt", str(p.lastEventAt));
    f.put("lastEngagementAt", str(p.lastEventAt));
    f.put("firstPurchaseAt", str(p.firstPurchaseAt));
    f.put("lastPurchaseAt", str(p.lastPurchaseAt));
    f.put("categoryViewShares", shares(p.views, p.viewTotal));
    f.put("categoryPurchaseShares", shares(p.bought, p.boughtTotal));
    f.put("discountOrderShare", (double) p.discountOrders / Math.max(1, p.purchases));
    f.put(
        "priceSensitivity",
        (double) (p.discountOrders + p.discountEvents)
            / Math.max(1, p.purchases + p.discountEvents));
    List<Double> hours = new ArrayList<>(168);
    for (double h : p.hourOfWeek) {
      hours.add(h);
    }
    f.put("engagementByHourOfWeek", hours);
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("timezone", "UTC");
    attributes.put("traits", c.crmTraits());
    return new ProfileSnapshot(
        c.id(),
        ProfileSnapshot.TYPE,
        c.id(),
        null,
        0,
        attributes,
        f,
        Map.of(),
        Map.of(),
        List.of(),
        null);
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }

  private static Map<String, Double> shares(Map<String, Long> counts, long total) {
    Map<String, Double> out = new LinkedHashMap<>();
    counts.forEach((k, v) -> out.put(k, (double) v / Math.max(1, total)));
    return out;
  }
}
