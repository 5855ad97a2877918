package io.nextbest.profile.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A segment definition: a CEL rule, or one of the five labelled K-means clusters. */
@Entity
@Table(name = "segments")
public class Segment extends PanacheEntityBase {
  public static final String RULE = "rule";
  public static final String CLUSTER = "cluster";

  @Id public String id;

  @Column(nullable = false)
  public String name;

  public String description;

  /** {@link #RULE} or {@link #CLUSTER}. */
  @Column(nullable = false)
  public String kind;

  /** The CEL expression of a rule segment. */
  public String rule;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
