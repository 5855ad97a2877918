package io.nextbest.eligibility.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.common.eligibility.EligibilitySettings;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.eligibility.service.CampaignCatalog;
import io.nextbest.eligibility.service.CampaignStore;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Rules over all campaigns: global control group, exclusion segment, quiet hours, channel caps. */
@Path("/api/v1/eligibility-settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SettingsResource {
  private final CampaignStore store;
  private final CampaignCatalog catalog;

  public SettingsResource(CampaignStore store, CampaignCatalog catalog) {
    this.store = store;
    this.catalog = catalog;
  }

  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.SERVICE})
  @GET
  @Operation(summary = "The settings in force")
  public Uni<EligibilitySettings> get() {
    return store.settings();
  }

  @RolesAllowed(Roles.ADMIN)
  @PUT
  @Operation(summary = "Replace the settings (400 with each problem)")
  public Uni<EligibilitySettings> put(EligibilitySettings body) {
    if (body == null) {
      throw new InvalidInputException("body", "settings are required");
    }
    var problems = body.problems();
    if (!problems.isEmpty()) {
      throw new InvalidInputException("The settings are not valid.", problems);
    }
    return store.saveSettings(body).invoke(catalog::invalidate);
  }
}
