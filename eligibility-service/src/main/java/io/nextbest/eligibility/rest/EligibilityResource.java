package io.nextbest.eligibility.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.common.eligibility.CampaignSpec;
import io.nextbest.common.eligibility.EligibilityEngine;
import io.nextbest.common.eligibility.EligibilityResult;
import io.nextbest.common.profile.ProfileLookup;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.eligibility.service.Eligibility;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Real-time eligibility: the services' own call (decision-service with its service token) and
 * marketers'. An answer names every campaign and why it was excluded, so it is never public.
 */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.SERVICE})
@Path("/api/v1/eligibility/{customerId}")
@Produces(MediaType.APPLICATION_JSON)
public class EligibilityResource {
  private final Eligibility eligibility;
  private final ProfileLookup profiles;

  public EligibilityResource(Eligibility eligibility, ProfileLookup profiles) {
    this.eligibility = eligibility;
    this.profiles = profiles;
  }

  @GET
  @Operation(summary = "Campaigns this customer may receive now, and why each other one may not")
  public Uni<EligibilityResult> eligibility(
      @PathParam("customerId") String customerId,
      @QueryParam("placement") String placement,
      @QueryParam("channel") String channel) {
    if (channel != null && !CampaignSpec.CHANNELS.contains(channel)) {
      throw new InvalidInputException(
          "channel", "unknown channel '" + channel + "': use one of " + CampaignSpec.CHANNELS);
    }
    return profiles
        .find(customerId)
        .onFailure()
        .recoverWithNull()
        .chain(
            profile ->
                eligibility.evaluate(
                    new EligibilityEngine.Request(
                        customerId,
                        profile,
                        null,
                        placement,
                        channel,
                        Instant.now(),
                        EligibilityEngine.Mode.REALTIME,
                        null)));
  }
}
