package io.nextbest.eligibility.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A stored campaign: its definition as JSON ({@link CampaignSpec}) and its version. */
@Entity
@Table(name = "campaigns")
public class Campaign extends PanacheEntityBase {
  @Id public String id;

  @Column(nullable = false)
  public int version;

  @Column(nullable = false)
  public String definition;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
