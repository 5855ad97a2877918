package io.nextbest.eligibility.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.common.eligibility.CampaignSpec;
import io.nextbest.common.eligibility.CompiledCampaign;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.eligibility.domain.SweepStatus;
import io.nextbest.eligibility.service.CampaignCatalog;
import io.nextbest.eligibility.service.CampaignStore;
import io.nextbest.eligibility.sweep.DryRun;
import io.nextbest.eligibility.sweep.Sweeps;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The campaign catalogue: versioned, audited, every rule type-checked when saved. */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER})
@Path("/api/v1/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CampaignResource {
  private final CampaignStore store;
  private final CampaignCatalog catalog;
  private final DryRun dryRun;
  private final Sweeps sweeps;

  public CampaignResource(
      CampaignStore store, CampaignCatalog catalog, DryRun dryRun, Sweeps sweeps) {
    this.store = store;
    this.catalog = catalog;
    this.dryRun = dryRun;
    this.sweeps = sweeps;
  }

  /**
   * A campaign as served: its definition, version and times.
   *
   * @param campaign the definition
   * @param version its version, bumped by every change
   * @param createdAt created
   * @param updatedAt last changed
   */
  public record CampaignView(
      CampaignSpec campaign, int version, Instant createdAt, Instant updatedAt) {
    static CampaignView of(CampaignStore.Stored s) {
      return new CampaignView(s.spec(), s.version(), s.createdAt(), s.updatedAt());
    }
  }

  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.SERVICE})
  @GET
  @Operation(summary = "All campaigns")
  public Uni<List<CampaignView>> list() {
    return store.all().map(l -> l.stream().map(CampaignView::of).toList());
  }

  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.SERVICE})
  @GET
  @Path("/{id}")
  @Operation(summary = "One campaign")
  public Uni<CampaignView> get(@PathParam("id") String id) {
    return store
        .byId(id)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundException("No campaign '" + id + "'."))
        .map(CampaignView::of);
  }

  @GET
  @Path("/{id}/history")
  @Operation(summary = "Every version of a campaign: who changed what, when")
  public Uni<List<CampaignStore.Change>> history(@PathParam("id") String id) {
    return store
        .history(id)
        .invoke(
            h -> {
              if (h.isEmpty()) {
                throw new NotFoundException("No campaign '" + id + "' was ever saved.");
              }
            });
  }

  @POST
  @Operation(summary = "Create a campaign (400 with each problem, CEL errors with position)")
  public Uni<Response> create(CampaignSpec body, @Context SecurityContext security) {
    CampaignSpec spec = required(body).normalized(null);
    return store
        .create(spec, author(security))
        .invoke(catalog::invalidate)
        .map(
            s ->
                Response.created(URI.create("/api/v1/campaigns/" + s.spec().id()))
                    .entity(CampaignView.of(s))
                    .build());
  }

  @PUT
  @Path("/{id}")
  @Operation(summary = "Replace a campaign's definition (a new version)")
  public Uni<CampaignView> update(
      @PathParam("id") String id, CampaignSpec body, @Context SecurityContext security) {
    if (body != null && body.id() != null && !body.id().equals(id)) {
      throw new InvalidInputException("id", "differs from the id in the path");
    }
    CampaignSpec spec = required(body).normalized(id);
    return store.update(spec, author(security)).invoke(catalog::invalidate).map(CampaignView::of);
  }

  @DELETE
  @Path("/{id}")
  @Operation(summary = "Delete a campaign (its history stays)")
  public Uni<Response> delete(@PathParam("id") String id, @Context SecurityContext security) {
    return store
        .delete(id, author(security))
        .invoke(catalog::invalidate)
        .map(v -> Response.noContent().build());
  }

  /** The change's author in the audit history: the subject of the caller's token. */
  private static String author(SecurityContext security) {
    return security.getUserPrincipal() == null ? null : security.getUserPrincipal().getName();
  }

  @POST
  @Path("/validate")
  @Operation(
      summary = "Check a campaign without saving it: 200 when valid, else 400 with each problem")
  public Map<String, Object> validate(CampaignSpec body) {
    CampaignSpec spec = required(body).normalized(null);
    CompiledCampaign.compile(spec, 0);
    return Map.of("valid", true, "campaign", spec);
  }

  @POST
  @Path("/dry-run")
  @Operation(
      summary = "How many current customers the campaign would reach now, and why the others not",
      description =
          "Walks the trigger's segment (else every customer) up to `limit` customers without"
              + " saving or emitting anything; `examples` (10) names that many of the customers it"
              + " would select, the smallest ids.")
  public Uni<DryRun.Result> dryRun(
      CampaignSpec body,
      @QueryParam("limit")
          @DefaultValue("100000")
          @Min(value = 1, message = "must be 1 to 10,000,000")
          @Max(value = 10_000_000, message = "must be 1 to 10,000,000")
          long limit,
      @QueryParam("examples")
          @DefaultValue("10")
          @Min(value = 0, message = "must be 0 to 50")
          @Max(value = 50, message = "must be 0 to 50")
          int examples) {
    return dryRun.run(
        required(body).normalized(body.id() == null ? "dry-run" : null), limit, examples);
  }

  @POST
  @Path("/{id}/sweeps")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Sweep the campaign's segment now (202; poll the sweep)")
  public Uni<Response> sweep(@PathParam("id") String id) {
    return sweeps
        .start(id)
        .map(
            s ->
                Response.accepted(s)
                    .location(URI.create("/api/v1/campaigns/" + id + "/sweeps/" + s.sweepId()))
                    .build());
  }

  @GET
  @Path("/{id}/sweeps")
  @Operation(summary = "The campaign's latest sweeps")
  public Uni<List<SweepStatus>> sweeps(@PathParam("id") String id) {
    return sweeps.recent(id);
  }

  @GET
  @Path("/{id}/sweeps/{sweepId}")
  @Operation(summary = "One sweep's progress")
  public Uni<SweepStatus> sweep(@PathParam("id") String id, @PathParam("sweepId") String sweepId) {
    return sweeps
        .status(sweepId)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundException("No sweep '" + sweepId + "'."));
  }

  private static CampaignSpec required(CampaignSpec body) {
    if (body == null) {
      throw new InvalidInputException("body", "a campaign is required");
    }
    return body;
  }
}
