package io.nextbest.tools.decision.sim;

import java.time.Instant;

/**
 * A customer leaving a channel because of a send.
 *
 * @param customer customer index
 * @param day simulated day of the send
 * @param at when the customer unsubscribed
 * @param channel the channel left
 * @param decisionId the decision whose send caused it
 */
public record Unsubscribe(int customer, int day, Instant at, String channel, String decisionId) {}
