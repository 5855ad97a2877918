package io.nextbest.profile.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.models.clv.ClvModel;
import io.nextbest.profile.service.ClvModels;
import io.nextbest.profile.service.ClvRefit;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The population CLV model (BG/NBD + Gamma-Gamma) behind every customer's predictions. */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER})
@Path("/api/v1/admin/clv-model")
@Produces(MediaType.APPLICATION_JSON)
public class ClvModelResource {
  private final ClvModels models;
  private final ClvRefit refit;

  public ClvModelResource(ClvModels models, ClvRefit refit) {
    this.models = models;
    this.refit = refit;
  }

  @GET
  @Operation(summary = "The model in use (version 0 is the built-in CDNOW prior)")
  public ClvModel current() {
    return models.current();
  }

  @RolesAllowed(Roles.ADMIN)
  @POST
  @Path("/fit")
  @Operation(
      summary = "Refit over all customers by maximum likelihood and put the fit in use",
      description = "Also runs nightly (nextbest.clv.refit-cron).")
  public Uni<ClvModel> fit() {
    return refit.refit();
  }
}
