package io.nextbest.eligibility.repository;

import io.nextbest.eligibility.domain.SettingsRow;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The eligibility settings ({@code eligibility_settings}): one row, created by the migration. */
@ApplicationScoped
public class SettingsRepository implements PanacheRepositoryBase<SettingsRow, Integer> {

  /** The settings row. */
  public Uni<SettingsRow> current() {
    return findById(SettingsRow.ID);
  }
}
