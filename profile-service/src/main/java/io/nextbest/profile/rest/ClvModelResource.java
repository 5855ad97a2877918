package io.nextbest.profile.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.models.clv.ClvModel;
import io.nextbest.profile.service.ClvModels;
import io.nextbest.profile.service.ClvRefit;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
      description =
          "asOf (ISO-8601 instant) declares the moment the data stands at, for a historical load:"
              + " every profile's features and predictions are then computed as of it. Without"
              + " it the data is live and each profile is judged as of now. Also runs nightly"
              + " (nextbest.clv.refit-cron), keeping a declared moment.")
  public Uni<ClvModel> fit(
      @QueryParam("asOf") @Size(max = 40, message = "must be an ISO-8601 instant") String asOf) {
    return refit.refit(asOf == null || asOf.isBlank() ? null : instant(asOf));
  }

  private static Instant instant(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(
          "asOf", "must be an ISO-8601 instant such as 2011-12-09T12:50:00Z");
    }
  }
}
