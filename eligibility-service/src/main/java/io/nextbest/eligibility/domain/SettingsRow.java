package io.nextbest.eligibility.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The one row of eligibility settings ({@link EligibilitySettings} as JSON). */
@Entity
@Table(name = "eligibility_settings")
public class SettingsRow extends PanacheEntityBase {
  public static final int ID = 1;

  @Id public Integer id;

  @Column(nullable = false)
  public int version;

  @Column(nullable = false)
  public String settings;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
