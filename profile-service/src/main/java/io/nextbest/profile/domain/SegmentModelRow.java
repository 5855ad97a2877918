package io.nextbest.profile.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One K-means fit of the marketing segments; {@code model} is a ClusterModel as JSON. */
@Entity
@Table(name = "segment_models")
public class SegmentModelRow extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long version;

  @Column(name = "fitted_at", nullable = false)
  public Instant fittedAt;

  @Column(nullable = false)
  public long customers;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(columnDefinition = "jsonb", nullable = false)
  public String model;
}
