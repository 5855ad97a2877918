package io.nextbest.decision.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One row of the decision log. Schema owned by Flyway (V1__decision_log.sql). */
@Entity
@Table(name = "decision_log")
public class LoggedDecision extends PanacheEntityBase {
  @Id
  @Column(name = "decision_id")
  public String decisionId;

  @Column(name = "moment_id")
  public String momentId;

  @Column(name = "customer_id", nullable = false)
  public String customerId;

  @Column(name = "campaign_id")
  public String campaignId;

  public String channel;
  public String placement;

  @Column(nullable = false)
  public double propensity;

  @Column(name = "policy_version", nullable = false)
  public String policyVersion;

  @Column(nullable = false)
  public boolean control;

  /** JSON array of the candidate campaign ids. */
  @Column(nullable = false)
  public String candidates;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(columnDefinition = "jsonb", nullable = false)
  public Map<String, Object> features;

  @Column(name = "decided_at", nullable = false)
  public Instant decidedAt;

  @Column(name = "logged_at", nullable = false)
  public Instant loggedAt;
}
