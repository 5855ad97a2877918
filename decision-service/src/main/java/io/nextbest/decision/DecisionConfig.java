package io.nextbest.decision;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Tuning of decisioning and learning ({@code nextbest.decision.*}). */
@ConfigMapping(prefix = "nextbest.decision")
public interface DecisionConfig {

  /**
   * Uniform exploration of the live policy: every action keeps at least {@code epsilon / k} of
   * probability, so off-policy estimates stay unbiased. A random send costs what the best one
   * earns, so this share is kept small.
   */
  @WithDefault("0.02")
  double epsilon();

  /**
   * Scale of the posterior spread the live policy's Thompson draws are taken from (1 plain Thompson
   * sampling, 0 greedy): a reward's noise is many times the differences between campaigns, so an
   * untempered draw is mostly noise.
   */
  @WithDefault("0.25")
  double temperature();

  /** Uniform exploration around manual priority in apprentice mode. */
  @WithDefault("0.1")
  double apprenticeEpsilon();

  /**
   * Share of apprentice decisions drawn from the live policy (a canary share): the model's value is
   * then estimated mostly from choices it made itself, with small importance weights, so the
   * evidence for promotion gathers sooner; 0 keeps apprentice mode to manual priority alone.
   */
  @WithDefault("0.25")
  double apprenticeModelShare();

  /**
   * The canary share apprentice decisions grow to as the evidence builds: the promotion check moves
   * the share from {@code apprentice-model-share} towards this one as the probability that the
   * model beats manual priority (its paired off-policy difference) goes from one half to the
   * promotion bound's 95%. A model that is likely better decides more of the traffic before it is
   * proven, and its own choices carry its evidence with smaller weights. Equal to {@code
   * apprentice-model-share}, the default: a fixed share (see the measurements in the README).
   */
  @WithDefault("0.25")
  double apprenticeModelShareMax();

  /** Quadrature nodes of the propensity integral of a Thompson choice. */
  @WithDefault("64")
  int propensityNodes();

  /** Ridge prior precision of the base model (what any decision's horizon is worth). */
  @WithDefault("1.0")
  double ridge();

  /**
   * Ridge prior precision of an arm's (and attribute pool's) deviation from the base: how many
   * pseudo-observations of "no difference" a campaign's own data must outweigh on its intercept
   * (three times it on the action features, ten times on the moment, traits and contact pressure, a
   * thousand times on the customer-value features; see {@code FeatureEncoder#armPrior}).
   */
  @WithDefault("1000")
  double armPrior();

  /** Mode when no mode has been stored yet: apprentice or live. */
  @WithDefault("apprentice")
  String initialMode();

  /**
   * Whether a new installation that starts live starts in live mode's learning phase (decided as in
   * apprentice mode until the promotion check ends it; only with automatic promotion on).
   */
  @WithDefault("false")
  boolean initialLearningPhase();

  /** Attribution window reported for campaigns that do not set one (uplift reports). */
  @WithDefault("7")
  int defaultWindowDays();

  /** The declared feature schema of the decision model. */
  Features features();

  /** What a decision's reward is. */
  Reward reward();

  /**
   * The declared feature schema ({@code nextbest.decision.features.*}): request-context keys and
   * profile traits, categories with shares of their own, and hashing of undeclared keys. Changing
   * it changes the encoder id logged with decisions, and the models start afresh.
   */
  interface Features {
    /** Declared schema version. */
    @WithDefault("f2")
    String version();

    /** Context keys read as numbers (signed log scale). */
    Optional<List<String>> contextNumbers();

    /** Context keys read as booleans. */
    Optional<List<String>> contextBooleans();

    /** Context keys read as strings, one-hot: {@code key=value1|value2}. */
    Optional<List<String>> contextStrings();

    /** Profile traits read as numbers. */
    Optional<List<String>> traitNumbers();

    /** Profile traits read as booleans. */
    Optional<List<String>> traitBooleans();

    /** Profile traits read as strings, one-hot: {@code trait=value1|value2}. */
    Optional<List<String>> traitStrings();

    /** Categories whose view and purchase shares are features of their own. */
    Optional<List<String>> categories();

    /** Buckets of the hashing trick for undeclared context keys and traits; 0 ignores them. */
    @WithDefault("32")
    int hashBuckets();
  }

  /**
   * A decision's reward: the value of its own fixed horizon, the same definition for every arm
   * including "none", whether or not another decision follows.
   */
  interface Reward {
    /** Days after a decision whose conversions are its reward. */
    @WithDefault("7")
    int horizonDays();

    /**
     * Days of the longer horizon on which a campaign that opens a journey is valued (its
     * follow-ups' conversions included); 0 turns journey valuation off.
     */
    @WithDefault("28")
    int journeyHorizonDays();

    /** Discount of a conversion's value per week after its decision. */
    @WithDefault("0.9")
    double weeklyDiscount();

    /**
     * Stream time a horizon stays open after it ends, for conversions still on their way (the
     * decision log and purchases arrive on different topics).
     */
    @WithDefault("PT6H")
    java.time.Duration grace();

    /**
     * Wall-clock time a conversion may take from being accepted to reaching its topic (profile
     * events leave through an outbox relay, woken at each commit and sweeping every second): a
     * decision is learned only once the reward consumers have passed its horizon by this much (see
     * {@code ConsumerWatermark}).
     */
    @WithDefault("PT1S")
    java.time.Duration arrivalMargin();

    /**
     * Highest value one conversion may carry; unset: twenty times the 99th percentile of the latest
     * 10,000 conversion values, and never below {@link #minValueCeiling()}.
     */
    Optional<Double> maxValue();

    /** Floor of the observed ceiling. */
    @WithDefault("10000")
    double minValueCeiling();
  }

  /** How often outcomes are learned. */
  @WithDefault("1s")
  String learnInterval();

  /**
   * Decisions closed (and outcomes folded) per learning step: a step holds this many decisions with
   * their candidates' features, about 0.6 KB per candidate.
   */
  @WithDefault("5000")
  int learnBatch();

  /** How often each replica checks for a newer model. */
  @WithDefault("1s")
  String modelReload();

  /** The model snapshot published for edges (content-service decides in-process from it). */
  Edge edge();

  /** Publication of the model snapshot on {@code nextbest.models.v1}. */
  interface Edge {
    /**
     * How often the snapshot is published again when nothing changed, so that an edge can tell a
     * model that did not change from an owner that stopped publishing; a change is published at the
     * replica's next model check ({@code model-reload}).
     */
    @WithDefault("10s")
    java.time.Duration republish();

    /**
     * Largest snapshot published, in bytes (the models topic's {@code max.message.bytes} and the
     * producer's {@code max.request.size} are set to it); a larger one is not published, and the
     * edges keep the model they hold until it is older than their {@code edge.max-model-age}, then
     * decide over HTTP.
     */
    @WithDefault("16777216")
    int maxSnapshotBytes();
  }

  /** How often the campaign catalogue is refreshed from eligibility-service. */
  @WithDefault("30s")
  String campaignRefresh();

  /** How often the observed conversion-value ceiling is computed again. */
  @WithDefault("60s")
  String valueCeilingRefresh();

  /** Rewards per outcome type. */
  Rewards rewards();

  /** Report settings. */
  Report report();

  /** Report settings. */
  interface Report {
    /** Standard deviation of the mixing distribution of the always-valid test (rate difference). */
    @WithDefault("0.02")
    double msprtTau();
  }

  /** When apprentice mode hands over to the model. */
  Promotion promotion();

  /** Rewards per outcome type, in the currency of conversion values. */
  interface Rewards {
    @WithDefault("0")
    double impression();

    @WithDefault("0")
    double open();

    @WithDefault("0")
    double click();

    /** Reward of a conversion reported without a value. */
    @WithDefault("1")
    double conversionWithoutValue();

    /**
     * Cost of an unsubscribe or complaint when the customer has no CLV prediction; otherwise it
     * costs the part of the customer's predicted 12-month value that the channel's contacts add
     * (see {@link io.nextbest.models.policy.UnsubscribeCost}).
     */
    @WithDefault("10")
    double unsubscribeCost();

    /**
     * The channel's incremental share of a customer's value assumed until {@link
     * #unsubscribeShareMinimum()} sends on the channel and as many "none" decisions are learned;
     * then the share is measured from their rewards.
     */
    @WithDefault("0.1")
    double unsubscribeShare();

    /** Learned decisions each side needs before the channel's share is measured. */
    @WithDefault("500")
    long unsubscribeShareMinimum();

    /**
     * The least share a measurement gives: the measured share is the difference of two noisy means
     * and often lands near 0, which would make losing a channel nearly free.
     */
    @WithDefault("0.1")
    double unsubscribeShareFloor();
  }

  /** Promotion thresholds of apprentice mode. */
  interface Promotion {
    /**
     * How often the thresholds are checked: a few reads of the running sums, so often enough that a
     * replay or simulation running a day in a second or two is judged every simulated day.
     */
    @WithDefault("1s")
    String interval();

    /** Evaluate and promote automatically. */
    @WithDefault("true")
    boolean automatic();

    /** Apprentice decisions with closed horizons needed before the model may go live. */
    @WithDefault("1000")
    long minDecisions();

    /**
     * Closed decisions needed per coefficient of the campaigns' models (features × actions in use,
     * "none" included: those that learned within {@code window-days} and have learned at least as
     * many decisions as they have coefficients) before the model may go live, when that is more
     * than {@code min-decisions}: a model judged on fewer decisions than its coefficients can carry
     * has been fitted to noise in the contexts it rarely met, and a near-greedy policy rarely meets
     * them again. 0: {@code min-decisions} alone.
     */
    @WithDefault("30")
    double decisionsPerCoefficient();

    /**
     * Days of closed apprentice decisions (in stream time, up to the latest closed one) whose
     * evidence may decide promotion: the fewest latest of them that hold the decisions needed are
     * judged (all of them when they hold fewer); 0 counts every decision since apprentice mode
     * began. The model of today is judged, not the untrained model of the first days, whose
     * decisions are scored with the model as it was then.
     */
    @WithDefault("28")
    int windowDays();

    /** Live decisions with closed horizons needed before the guard may demote the model. */
    @WithDefault("1000")
    long minLiveDecisions();

    /**
     * The size of difference the live model's guard watches for, as a share of manual priority's
     * value: the spread of the mixing distribution of its always-valid test. The guard looks every
     * {@code interval}, so a fixed-sample bound would, sooner or later, cross on noise alone.
     */
    @WithDefault("0.1")
    double guardEffect();

    /** Always-valid p-value below which the guard demotes a live model worse than manual. */
    @WithDefault("0.05")
    double guardAlpha();

    /**
     * Share of apprentice decisions where the model's top action was the one manual priority took
     * needed, at least.
     */
    @WithDefault("0")
    double minMatchRate();

    /**
     * The model's lower 95% bound (self-normalized IPS) must reach this share of manual's value.
     */
    @WithDefault("1.0")
    double minValueRatio();
  }
}
