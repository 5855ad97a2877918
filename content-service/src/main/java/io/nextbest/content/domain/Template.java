package io.nextbest.content.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A campaign's content at a placement, as Qute templates. Schema owned by Flyway. */
@Entity
@Table(name = "templates")
public class Template extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "campaign_id", nullable = false)
  public String campaignId;

  @Column(nullable = false)
  public String placement;

  @Column(name = "variant_id", nullable = false)
  public String variantId;

  @Column(nullable = false)
  public String locale;

  @Column(nullable = false)
  public String headline;

  @Column(nullable = false)
  public String body;

  @Column(nullable = false)
  public String cta;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
