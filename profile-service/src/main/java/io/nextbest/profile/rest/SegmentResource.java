package io.nextbest.profile.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.profile.segments.SegmentService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Segments: rule segments in CEL over the profile, and the five fitted marketing segments (high
 * value, loyal, opportunity, at risk, new/exploring). Memberships follow every profile change.
 */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER})
@Path("/api/v1/segments")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentResource {
  private final SegmentService segments;

  public SegmentResource(SegmentService segments) {
    this.segments = segments;
  }

  /**
   * A rule segment.
   *
   * @param id lower-case id (letters, digits, '-'); derived from the name when left out
   * @param name display name
   * @param description what the segment is for
   * @param rule CEL boolean expression over profile, attributes, features, predictions, consents
   *     and segments, e.g. {@code features.frequency >= 3 && predictions.churnRisk > 0.5}
   */
  public record SegmentRequest(
      @Size(max = 63, message = "must be at most 63 characters") String id,
      @NotBlank(message = "is required")
          @Size(max = 200, message = "must be at most 200 characters")
          String name,
      @Size(max = 2000, message = "must be at most 2000 characters") String description,
      @NotNull(message = "is required: a CEL boolean expression") String rule) {}

  @GET
  @Operation(summary = "All segments with their member counts")
  public Uni<List<SegmentService.SegmentView>> list() {
    return segments.list();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create a rule segment (CEL); every customer is evaluated in the background")
  public Uni<Response> create(
      @Valid @NotNull(message = "a JSON body is required") SegmentRequest r) {
    return segments
        .create(r.id(), r.name(), r.description(), r.rule())
        .map(s -> Response.created(URI.create("/api/v1/segments/" + s.id())).entity(s).build());
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One segment")
  public Uni<SegmentService.SegmentView> get(@PathParam("id") String id) {
    return segments.get(id);
  }

  @PUT
  @Path("/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Change a rule segment; every customer is re-evaluated in the background")
  public Uni<SegmentService.SegmentView> update(
      @PathParam("id") String id,
      @Valid @NotNull(message = "a JSON body is required") SegmentRequest r) {
    return segments.update(id, r.name(), r.description(), r.rule());
  }

  @DELETE
  @Path("/{id}")
  @Operation(summary = "Delete a rule segment; its members leave it")
  public Uni<Response> delete(@PathParam("id") String id) {
    return segments.delete(id).map(ignored -> Response.noContent().build());
  }

  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.SERVICE})
  @GET
  @Path("/{id}/members")
  @Operation(
      summary = "Members in customer id order, a page at a time",
      description = "Pass the previous page's `next` as `after` for the following page.")
  public Uni<SegmentService.MemberPage> members(
      @PathParam("id") String id,
      @QueryParam("after") @Size(max = 128, message = "must be a customer id") String after,
      @QueryParam("limit")
          @DefaultValue("100")
          @Min(value = 1, message = "must be 1 to 1000")
          @Max(value = 1000, message = "must be 1 to 1000")
          int limit) {
    return segments.members(id, after, limit);
  }
}
