package io.nextbest.profile.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A customer profile with its running aggregates. Schema owned by Flyway (V1__profiles.sql). */
@Entity
@Table(name = "customers")
public class Customer extends PanacheEntityBase {
  @Id
  @Column(name = "customer_id")
  public String customerId;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(columnDefinition = "jsonb", nullable = false)
  public Map<String, Object> attributes = new HashMap<>();

  @Column(name = "event_count", nullable = false)
  public long eventCount;

  @Column(name = "purchase_count", nullable = false)
  public long purchaseCount;

  @Column(nullable = false, precision = 16, scale = 2)
  public BigDecimal monetary = BigDecimal.ZERO;

  @Column(name = "first_event_at")
  public Instant firstEventAt;

  @Column(name = "last_event_at")
  public Instant lastEventAt;

  /** {@link io.nextbest.profile.features.FeatureState} as JSON. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(columnDefinition = "jsonb", nullable = false)
  public String state = "{}";

  /** Consent per channel as JSON: {"email": {"granted": true, "source": "...", "at": "..."}}. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(columnDefinition = "jsonb", nullable = false)
  public String consents = "{}";

  /** Ids of the segments the customer belongs to, as a JSON array. */
  @Column(nullable = false)
  public String segments = "[]";

  @Column(nullable = false)
  public long version;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
