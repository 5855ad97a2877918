package io.nextbest.content.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** What a placement shows when no campaign applies. */
@Entity
@Table(name = "placement_defaults")
public class PlacementDefault extends PanacheEntityBase {
  @Id public String placement;

  @Column(nullable = false)
  public String headline;

  @Column(nullable = false)
  public String body;

  @Column(nullable = false)
  public String cta;
}
