package io.nextbest.eligibility.rest;

import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.eligibility.service.CampaignCatalog;
import io.nextbest.eligibility.service.EligibilityEngine;
import io.nextbest.eligibility.service.EligibilityResult;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Real-time eligibility. */
@Path("/api/v1/eligibility/{customerId}")
@Produces(MediaType.APPLICATION_JSON)
public class EligibilityResource {
  private final CampaignCatalog catalog;
  private final ProfileLookup profiles;

  public EligibilityResource(CampaignCatalog catalog, ProfileLookup profiles) {
    this.catalog = catalog;
    this.profiles = profiles;
  }

  @GET
  @Operation(summary = "Campaigns this customer may receive now, and why the others may not")
  public Uni<EligibilityResult> eligibility(
      @PathParam("customerId") String customerId,
      @QueryParam("placement") String placement,
      @QueryParam("channel") String channel) {
    return profiles
        .find(customerId)
        .onFailure()
        .recoverWithNull()
        .chain(
            profile ->
                catalog
                    .current()
                    .map(
                        campaigns ->
                            EligibilityEngine.evaluate(
                                campaigns, profile, placement, channel, Instant.now())));
  }
}
