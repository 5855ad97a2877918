package io.nextbest.events;

import java.time.Instant;

/**
 * An outcome of a decision on {@link Topics#OUTCOMES}.
 *
 * @param id outcome id (client supplied; duplicates ignored)
 * @param type outcome type: impression, open, click, conversion, unsubscribe, dismiss
 * @param customerId the customer
 * @param occurredAt when it happened
 * @param decisionId the decision it belongs to
 * @param value monetary value of a conversion, else null
 * @param content the content shown, on impressions content-service logs; else null
 * @param orderId the order a conversion is, so that one reported both as a purchase event and as an
 *     outcome counts once; else null
 */
public record Outcome(
    String id,
    String type,
    String customerId,
    Instant occurredAt,
    String decisionId,
    Double value,
    Content content,
    String orderId) {

  /** An outcome without an order id. */
  public Outcome(
      String id,
      String type,
      String customerId,
      Instant occurredAt,
      String decisionId,
      Double value,
      Content content) {
    this(id, type, customerId, occurredAt, decisionId, value, content, null);
  }

  /** An outcome without content details. */
  public Outcome(
      String id,
      String type,
      String customerId,
      Instant occurredAt,
      String decisionId,
      Double value) {
    this(id, type, customerId, occurredAt, decisionId, value, null, null);
  }

  /**
   * The content an impression showed, so variants learn from their clicks and conversions.
   *
   * @param campaignId campaign, or null for a placement's default content
   * @param placement placement
   * @param templateId template
   * @param variantId variant
   * @param locale locale rendered
   */
  public record Content(
      String campaignId, String placement, long templateId, String variantId, String locale) {}
}
