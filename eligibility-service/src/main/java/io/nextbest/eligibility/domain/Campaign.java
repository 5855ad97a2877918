package io.nextbest.eligibility.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A campaign. Schema owned by Flyway (V1__campaigns.sql). */
@Entity
@Table(name = "campaigns")
public class Campaign extends PanacheEntityBase {
  public static final String ACTIVE = "active";

  @Id public String id;

  @Column(nullable = false)
  public String name;

  @Column(nullable = false)
  public String status;

  /** Manual priority, higher first; null means "auto" (arbitrated by decision-service). */
  public Integer priority;

  @Column(nullable = false)
  public String channel;

  public String placement;

  @Column(nullable = false)
  public String rule;

  @Column(name = "starts_at")
  public Instant startsAt;

  @Column(name = "ends_at")
  public Instant endsAt;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
