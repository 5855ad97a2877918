package io.nextbest.events;

/**
 * Kafka topic names shared by every service. Every record is keyed by customer id, except on the
 * compacted artifacts edges decide from, which have one key each.
 */
public final class Topics {
  /** Accepted behavioural events. */
  public static final String EVENTS = "nextbest.events.v1";

  /** Latest profile snapshot per customer (compacted; tombstone after erase). */
  public static final String PROFILES = "nextbest.profiles.v1";

  /** Moments: the campaigns a customer may receive now. */
  public static final String ELIGIBILITY = "nextbest.eligibility.v1";

  /** Decisions: chosen campaign or none, with propensity. */
  public static final String DECISIONS = "nextbest.decisions.v1";

  /** Outcomes of decisions: impression, open, click, conversion, unsubscribe. */
  public static final String OUTCOMES = "nextbest.outcomes.v1";

  /** Erase requests every service honours. */
  public static final String PRIVACY = "nextbest.privacy.v1";

  /** The campaign set edges evaluate eligibility from (compacted, one key, one partition). */
  public static final String CAMPAIGNS = "nextbest.campaigns.v1";

  /** The model snapshot edges decide from (compacted, one key, one partition). */
  public static final String MODELS = "nextbest.models.v1";

  private Topics() {}
}
