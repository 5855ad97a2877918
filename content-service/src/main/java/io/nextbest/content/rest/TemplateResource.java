package io.nextbest.content.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.content.template.TemplateDocument;
import io.nextbest.content.template.TemplateStore;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Templates: per campaign and placement, variants written in Qute per locale. */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER})
@Path("/api/v1/templates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TemplateResource {
  private final TemplateStore store;

  public TemplateResource(TemplateStore store) {
    this.store = store;
  }

  @GET
  @Operation(summary = "List templates, optionally of one campaign or placement")
  public Uni<List<TemplateDocument>> list(
      @QueryParam("campaignId") String campaignId, @QueryParam("placement") String placement) {
    return store.list(campaignId, placement);
  }

  @GET
  @Path("/{id}")
  public Uni<TemplateDocument> get(@PathParam("id") long id) {
    return store.get(id);
  }

  @GET
  @Path("/{id}/stats")
  @Operation(summary = "Impressions, clicks and conversions per variant, pooled over translations")
  public Uni<List<Map<String, Object>>> stats(@PathParam("id") long id) {
    return store.stats(id);
  }

  @POST
  @Operation(summary = "Create a template; 400 with line and column when a field does not compile")
  public Uni<Response> create(@NotNull @Valid TemplateDocument doc) {
    return store
        .create(doc)
        .map(t -> Response.created(URI.create("/api/v1/templates/" + t.id())).entity(t).build());
  }

  @POST
  @Path("/validate")
  @Operation(summary = "Check a template without saving it")
  public Map<String, Object> validate(@NotNull @Valid TemplateDocument doc) {
    store.check(doc);
    return Map.of("valid", true);
  }

  @PUT
  @Path("/{id}")
  @Operation(summary = "Replace a template; give its version to refuse lost updates (409)")
  public Uni<TemplateDocument> update(
      @PathParam("id") long id, @NotNull @Valid TemplateDocument doc) {
    return store.update(id, doc);
  }

  @DELETE
  @Path("/{id}")
  public Uni<Response> delete(@PathParam("id") long id) {
    return store.delete(id).map(v -> Response.noContent().build());
  }
}
