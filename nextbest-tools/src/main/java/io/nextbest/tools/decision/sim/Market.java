package io.nextbest.tools.decision.sim;

import io.nextbest.tools.decision.sim.RandomStreams.Purpose;
import io.nextbest.tools.decision.sim.SimConfig.PopulationSpec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One policy's world: the population, what each customer has been sent and the purchases that
 * follow. Each day runs {@link #visits}, then a {@link #send} per chosen campaign, then {@link
 * #closeDay}. Every draw comes from {@link RandomStreams} keyed by customer and day, so worlds run
 * under different policies see the same visits and the same purchase draws.
 *
 * <p>A send on day d adds its true lift to the daily purchase probability of days d to d +
 * effectDays − 1 and opens its discount (if any) for the same days; the day's purchase happens when
 * its uniform draw falls below the clipped sum of the organic rate and the lifts in effect. A draw
 * between the organic rate and that sum is a purchase the campaigns drove.
 */
public final class Market {
  private static final long DAY = 86_400;

  private final SimConfig config;
  private final List<Customer> customers;
  private final RandomStreams streams;
  private final long start;
  private final State[] states;
  private final Visit[] today;
  private final DailyLedger ledger;

  /** What one customer carries from day to day. */
  private static final class State {
    /** Lift in effect per day, a ring of effectDays slots indexed by day. */
    final double[] lift;

    /** Discount depth open per day, and the campaign that opened it, in the same ring. */
    final int[] depth;

    final int[] depthCampaign;
    final Deque<Sent> recent = new ArrayDeque<>();
    final Set<String> unsubscribed = new HashSet<>();

    State(int effectDays) {
      lift = new double[effectDays];
      depth = new int[effectDays];
      depthCampaign = new int[effectDays];
    }
  }

  private record Sent(int day, int campaign, String decisionId) {}

  /**
   * @param start midnight UTC of day 0
   */
  public Market(SimConfig config, List<Customer> customers, RandomStreams streams, Instant start) {
    this.config = config;
    this.customers = customers;
    this.streams = streams;
    this.start = start.getEpochSecond();
    this.states = new State[customers.size()];
    for (int i = 0; i < states.length; i++) {
      states[i] = new State(config.effectDays());
    }
    this.today = new Visit[customers.size()];
    this.ledger = new DailyLedger(config.days());
  }

  public SimConfig config() {
    return config;
  }

  public List<Customer> customers() {
    return customers;
  }

  public DailyLedger ledger() {
    return ledger;
  }

  /** Midnight UTC of {@code day}. */
  public Instant dayStart(int day) {
    return Instant.ofEpochSecond(start + day * DAY);
  }

  /** The day's visits in customer order; the same under every policy. */
  public List<Visit> visits(int day) {
    List<Visit> visits = new ArrayList<>();
    for (Customer c : customers) {
      Visit v = visit(c, day);
      today[c.index()] = v;
      if (v != null) {
        visits.add(v);
      }
    }
    return visits;
  }

  private Visit visit(Customer c, int day) {
    SplittableRandom r = streams.of(Purpose.VISIT, c.index(), day);
    if (r.nextDouble() >= config.visitProbability()) {
      return null;
    }
    PopulationSpec p = config.population();
    String device =
        r.nextDouble() < p.preferredDeviceShare()
            ? c.device()
            : "mobile".equals(c.device()) ? "desktop" : "mobile";
    long hour = Math.max(0, Math.min(22, Math.round(c.preferredHour() + 2.5 * gauss(r))));
    long t = start + day * DAY + hour * 3600 + r.nextInt(3600);
    int n = 1 + r.nextInt(4);
    List<Visit.PageView> views = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      t += 20 + r.nextInt(120);
      String category =
          r.nextDouble() < p.favouriteViewShare()
              ? c.favourite()
              : config.categories().get(r.nextInt(config.categories().size()));
      views.add(
          new Visit.PageView(
              Instant.ofEpochSecond(t),
              category,
              "sku-" + category + "-" + r.nextInt(200),
              cents(Math.exp(c.orderMu() - 0.4 + 0.4 * gauss(r)))));
    }
    Visit.PageView cart = null;
    Instant code = null;
    if (r.nextDouble() < p.addToCartProbability()) {
      Visit.PageView last = views.get(n - 1);
      t += 30 + r.nextInt(60);
      cart =
          new Visit.PageView(Instant.ofEpochSecond(t), last.category(), last.sku(), last.price());
      if (r.nextDouble() < p.siteCodeRate() * c.priceSensitivity()) {
        t += 20;
        code = Instant.ofEpochSecond(t);
      }
    }
    String page = cart != null ? "cart" : n > 1 ? "product" : "category";
    return new Visit(c.index(), day, Instant.ofEpochSecond(t + 5), device, page, views, cart, code);
  }

  /** Campaign indexes the customer may be sent: those whose channel it has not left. */
  public List<Integer> candidates(int customer) {
    Set<String> left = states[customer].unsubscribed;
    List<Integer> out = new ArrayList<>(config.campaigns().size());
    for (int i = 0; i < config.campaigns().size(); i++) {
      if (!left.contains(config.campaigns().get(i).channel())) {
        out.add(i);
      }
    }
    return out;
  }

  /** Counts a decision moment (a visit with candidates), whatever was decided. */
  public void moment(Visit v) {
    ledger.moment(v.day());
  }

  /** Sends in the {@value TrueEffects#FATIGUE_DAYS} days before {@code day}. */
  public int recentSends(int customer, int day) {
    int n = 0;
    for (Sent s : states[customer].recent) {
      if (s.day() >= day - TrueEffects.FATIGUE_DAYS && s.day() < day) {
        n++;
      }
    }
    return n;
  }

  /** The true lift of sending {@code campaign} at the visit. */
  public double lift(Visit v, int campaign) {
    return TrueEffects.lift(
        config.campaigns().get(campaign),
        customers.get(v.customer()),
        v.device(),
        recentSends(v.customer(), v.day()));
  }

  /** The true probability that sending {@code campaign} at the visit makes the customer leave. */
  public double unsubscribeProbability(Visit v, int campaign) {
    return TrueEffects.unsubscribeProbability(
        config.campaigns().get(campaign), recentSends(v.customer(), v.day()));
  }

  /**
   * The true expected incremental value of sending {@code campaign} at the visit rather than
   * nothing, this moment only: over the effect days within the run, the expected purchase value
   * with the send (its lift added, its discount opened) minus without it, given what is already in
   * effect; less the unsubscribe probability times the configured cost of losing the channel.
   */
  public double expectedValue(Visit v, int campaign) {
    CampaignSpec spec = config.campaigns().get(campaign);
    Customer c = customers.get(v.customer());
    State s = states[v.customer()];
    double lift = lift(v, campaign);
    double order = c.meanOrderValue();
    double max = config.maxDailyProbability();
    double ev = 0;
    for (int d = v.day(); d < v.day() + config.effectDays() && d < config.days(); d++) {
      int slot = slot(d);
      double before = Population.clamp(c.baseRate() + s.lift[slot], 0, max);
      double after = Population.clamp(c.baseRate() + s.lift[slot] + lift, 0, max);
      int depthBefore = s.depth[slot];
      int depthAfter = Math.max(depthBefore, spec.discountDepth());
      ev +=
          after * order * (1 - c.priceSensitivity() * depthAfter / 100.0)
              - before * order * (1 - c.priceSensitivity() * depthBefore / 100.0);
    }
    return ev - unsubscribeProbability(v, campaign) * config.unsubscribeCostOf(spec.channel());
  }

  /**
   * Sends {@code campaign} at the visit: its true effect takes hold and the customer may leave the
   * channel.
   *
   * @return the unsubscribe it caused, or null
   */
  public Unsubscribe send(Visit v, int campaign, String decisionId) {
    CampaignSpec spec = config.campaigns().get(campaign);
    State s = states[v.customer()];
    double lift = lift(v, campaign);
    double pLeave = unsubscribeProbability(v, campaign);
    for (int d = v.day(); d < v.day() + config.effectDays(); d++) {
      int slot = slot(d);
      s.lift[slot] += lift;
      if (spec.discountDepth() > s.depth[slot]) {
        s.depth[slot] = spec.discountDepth();
        s.depthCampaign[slot] = campaign;
      }
    }
    s.recent.addLast(new Sent(v.day(), campaign, decisionId));
    while (s.recent.peekFirst().day()
        < v.day() - Math.max(TrueEffects.FATIGUE_DAYS, config.effectDays())) {
      s.recent.removeFirst();
    }
    ledger.send(v.day());
    SplittableRandom r = streams.of(Purpose.UNSUBSCRIBE, v.customer(), v.day());
    if (r.nextDouble() >= pLeave) {
      return null;
    }
    s.unsubscribed.add(spec.channel());
    ledger.unsubscribe(v.day());
    long at =
        Math.min(
            v.decisionAt().getEpochSecond() + 600 + r.nextInt(6 * 3600),
            start + (v.day() + 1) * DAY - 1);
    return new Unsubscribe(
        v.customer(), v.day(), Instant.ofEpochSecond(at), spec.channel(), decisionId);
  }

  /** The day's purchases (organic and driven); then the day's effects expire. */
  public List<Purchase> closeDay(int day) {
    List<Purchase> purchases = new ArrayList<>();
    int slot = slot(day);
    for (Customer c : customers) {
      State s = states[c.index()];
      Purchase p = purchase(c, s, day, slot);
      if (p != null) {
        purchases.add(p);
        ledger.purchase(day, p.amount(), p.driven());
      }
      s.lift[slot] = 0;
      s.depth[slot] = 0;
      today[c.index()] = null;
    }
    return purchases;
  }

  private Purchase purchase(Customer c, State s, int day, int slot) {
    SplittableRandom r = streams.of(Purpose.PURCHASE, c.index(), day);
    double max = config.maxDailyProbability();
    double u = r.nextDouble();
    double organic = Population.clamp(c.baseRate(), 0, max);
    double raised = Population.clamp(c.baseRate() + s.lift[slot], 0, max);
    if (u >= raised) {
      return null;
    }
    boolean driven = u >= organic;
    double gross = cents(Math.exp(c.orderMu() + c.orderSigma() * gauss(r)));
    boolean redeems = r.nextDouble() < c.priceSensitivity();
    boolean report = r.nextDouble() < config.conversionOutcomeShare();
    Visit visit = today[c.index()];
    long at =
        visit != null
            ? Math.min(
                visit.decisionAt().getEpochSecond() + 600 + r.nextInt(170 * 60),
                start + (day + 1) * DAY - 1)
            : start + day * DAY + r.nextInt((int) DAY);
    List<Purchase.Item> items = items(c, r, gross);
    int depth = redeems ? s.depth[slot] : 0;
    double amount = depth > 0 ? cents(gross * (1 - depth / 100.0)) : gross;
    String discountCampaign = depth > 0 ? config.campaigns().get(s.depthCampaign[slot]).id() : null;
    String decisionId = null;
    for (Sent sent : s.recent) {
      if (sent.day() > day - config.effectDays() && sent.day() <= day) {
        decisionId = sent.decisionId(); // the latest send in effect
      }
    }
    return new Purchase(
        c.index(),
        day,
        Instant.ofEpochSecond(at),
        gross,
        amount,
        depth,
        discountCampaign,
        items,
        driven,
        decisionId,
        driven && decisionId != null && report);
  }

  /** One or two items whose prices add up to the gross value. */
  private List<Purchase.Item> items(Customer c, SplittableRandom r, double gross) {
    List<String> categories = config.categories();
    String first =
        r.nextDouble() < config.population().favouriteViewShare()
            ? c.favourite()
            : categories.get(r.nextInt(categories.size()));
    if (r.nextDouble() >= 0.3 || gross < 0.02) {
      return List.of(new Purchase.Item("sku-" + first + "-" + r.nextInt(200), first, gross, 1));
    }
    String second = categories.get(r.nextInt(categories.size()));
    double a = cents(gross * (0.4 + 0.3 * r.nextDouble()));
    return List.of(
        new Purchase.Item("sku-" + first + "-" + r.nextInt(200), first, a, 1),
        new Purchase.Item("sku-" + second + "-" + r.nextInt(200), second, cents(gross - a), 1));
  }

  private int slot(int day) {
    return day % config.effectDays();
  }

  private static double gauss(SplittableRandom r) {
    return RandomStreams.gaussian(r);
  }

  static double cents(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
