package io.nextbest.decision;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Tuning of decisioning and learning ({@code nextbest.decision.*}). */
@ConfigMapping(prefix = "nextbest.decision")
public interface DecisionConfig {

  /** Uniform exploration of the live policy. */
  @WithDefault("0.05")
  double epsilon();

  /** Uniform exploration around manual priority in apprentice mode. */
  @WithDefault("0.1")
  double apprenticeEpsilon();

  /** Quadrature nodes of the propensity integral of a Thompson choice. */
  @WithDefault("64")
  int propensityNodes();

  /** Discount of a journey follow-up's value per week of delay. */
  @WithDefault("0.9")
  double weeklyDiscount();

  /** Ridge prior precision of the arm models. */
  @WithDefault("1.0")
  double ridge();

  /** Mode when no mode has been stored yet: apprentice or live. */
  @WithDefault("apprentice")
  String initialMode();

  /** Attribution window for decisions whose campaign does not set one. */
  @WithDefault("7")
  int defaultWindowDays();

  /** How often outcomes are learned. */
  @WithDefault("2s")
  String learnInterval();

  /** How often each replica checks for a newer model. */
  @WithDefault("1s")
  String modelReload();

  /** How often the campaign catalogue is refreshed from eligibility-service. */
  @WithDefault("30s")
  String campaignRefresh();

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

    /** Cost of an unsubscribe (learned as a negative reward). */
    @WithDefault("10")
    double unsubscribeCost();
  }

  /** Promotion thresholds of apprentice mode. */
  interface Promotion {
    /** How often the thresholds are checked. */
    @WithDefault("60s")
    String interval();

    /** Evaluate and promote automatically. */
    @WithDefault("true")
    boolean automatic();

    /** Logged decisions with closed windows needed before an evaluation counts. */
    @WithDefault("1000")
    long minDecisions();

    /** Share of decisions where the model agrees with manual priority needed, at least. */
    @WithDefault("0")
    double minMatchRate();

    /**
     * The model's lower 95% bound (self-normalized IPS) must reach this share of manual's value.
     */
    @WithDefault("1.0")
    double minValueRatio();
  }
}
