package io.nextbest.content.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** The latest decision for a customer at a placement. */
@Entity
@Table(name = "customer_decisions")
public class CustomerDecision extends PanacheEntityBase {
  @EmbeddedId public Key key;

  @Column(name = "decision_id", nullable = false)
  public String decisionId;

  @Column(name = "campaign_id")
  public String campaignId;

  @Column(name = "decided_at", nullable = false)
  public Instant decidedAt;

  /**
   * Customer and placement.
   *
   * @param customerId the customer
   * @param placement the placement
   */
  @Embeddable
  public record Key(
      @Column(name = "customer_id") String customerId, @Column(name = "placement") String placement)
      implements Serializable {}
}
