package io.nextbest.profile.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An alias (anonymous or secondary id) merged into a customer; the alias resolves to it. */
@Entity
@Table(name = "identities")
public class Identity extends PanacheEntityBase {
  @Id
  @Column(name = "alias_id")
  public String aliasId;

  @Column(name = "customer_id", nullable = false)
  public String customerId;

  @Column(name = "merged_at", nullable = false)
  public Instant mergedAt;
}
