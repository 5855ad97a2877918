package io.nextbest.profile.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.profile.segments.SegmentHistory;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A segment's membership over time. */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER})
@Path("/api/v1/segments/{id}/history")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentHistoryResource {
  private final SegmentHistory history;

  public SegmentHistoryResource(SegmentHistory history) {
    this.history = history;
  }

  @GET
  @Operation(
      summary = "The segment's size per UTC day over the last `days` days",
      description =
          "Sizes are recorded every nextbest.segment-history.every (15 min); a day shows its last"
              + " recording, days without one are absent.")
  public Uni<SegmentHistory.History> history(
      @PathParam("id") String id,
      @QueryParam("days")
          @DefaultValue("30")
          @Min(value = 1, message = "must be 1 to 400")
          @Max(value = 400, message = "must be 1 to 400")
          int days) {
    return history.of(id, days);
  }
}
