package io.nextbest.profile.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One fit of the population CLV models (BG/NBD + Gamma-Gamma). */
@Entity
@Table(name = "clv_models")
public class ClvModelRow extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long version;

  @Column(name = "fitted_at", nullable = false)
  public Instant fittedAt;

  @Column(nullable = false)
  public long customers;

  public double r;
  public double alpha;
  public double a;
  public double b;
  public double p;
  public double q;
  public double gamma;

  @Column(name = "bg_log_likelihood", nullable = false)
  public double bgLogLikelihood;

  @Column(name = "gg_log_likelihood")
  public Double ggLogLikelihood;

  /** The moment the data stood at, declared for a historical load; null for live data. */
  @Column(name = "as_of")
  public Instant asOf;
}
