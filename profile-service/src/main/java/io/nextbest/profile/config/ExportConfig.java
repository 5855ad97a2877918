package io.nextbest.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The personal-data export ({@code GET /api/v1/profiles/{id}/export}). */
@ConfigMapping(prefix = "nextbest.profile.export")
public interface ExportConfig {

  /**
   * Events read and written per step of the streamed export: the response holds every event, the
   * heap one page of them at a time.
   */
  @WithDefault("200")
  @Min(1)
  @Max(10_000)
  int pageSize();
}
