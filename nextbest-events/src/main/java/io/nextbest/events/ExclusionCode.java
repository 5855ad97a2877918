package io.nextbest.events;

/**
 * Why eligibility-service excluded a campaign for a customer, as a code callers can act on; the
 * answer's {@code reason} says the same in words, with the particulars (which rule, which cap,
 * until when).
 */
public enum ExclusionCode {
  /** The campaign is not active (draft, paused, archived). */
  INACTIVE,
  /** The campaign's start lies ahead. */
  NOT_STARTED,
  /** The campaign's end has passed. */
  ENDED,
  /** The customer is in the installation's exclusion segment. */
  EXCLUSION_SEGMENT,
  /** The campaign's rule does not hold for the customer. */
  RULE_NOT_MET,
  /**
   * The journey step is not due: its predecessor was not sent, is too recent, or its condition
   * fails.
   */
  JOURNEY_NOT_DUE,
  /** The campaign's own frequency cap is reached. */
  CAMPAIGN_CAP,
  /** The customer is on the do-not-contact list for the channel. */
  DO_NOT_CONTACT,
  /** The customer has not consented to the channel. */
  NO_CONSENT,
  /** The channel is in its quiet hours in the customer's time zone. */
  QUIET_HOURS,
  /** The channel's frequency cap is reached. */
  FREQUENCY_CAP,
  /** None of the campaign's channels is open, for different reasons per channel. */
  NO_CHANNEL,
  /** The customer is in the global control group: held out of every campaign. */
  GLOBAL_CONTROL
}
