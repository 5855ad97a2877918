package io.nextbest.content.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.content.service.TemplatePreview;
import io.nextbest.content.template.AllocationHistory;
import io.nextbest.content.template.TemplateDocument;
import io.nextbest.content.template.TemplateStore;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Templates: per campaign and placement, variants written in Qute per locale. */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER})
@Path("/api/v1/templates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TemplateResource {
  private final TemplateStore store;
  private final TemplatePreview preview;

  public TemplateResource(TemplateStore store, TemplatePreview preview) {
    this.store = store;
    this.preview = preview;
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

  @GET
  @Path("/{id}/daily")
  @Operation(
      summary =
          "Impressions per variant and UTC day (the allocation over time), with their clicks"
              + " and conversions")
  public Uni<AllocationHistory> daily(
      @PathParam("id") long id,
      @QueryParam("days")
          @DefaultValue("30")
          @Min(value = 1, message = "must be 1 to 366")
          @Max(value = 366, message = "must be 1 to 366")
          int days) {
    return store.daily(id, days);
  }

  @GET
  @Path("/{id}/preview")
  @Operation(
      summary = "Render a variant for a customer without side effects",
      description =
          "The variant (the first when not given) in the locale (else the customer's, by the"
              + " fallback chain) as the frontend call would render it for the customer, with no"
              + " decision, impression, statistic or outcome. 404 for an unknown template or"
              + " customer.")
  public Uni<TemplatePreview.Preview> preview(
      @PathParam("id") long id,
      @QueryParam("customerId")
          @NotBlank(message = "is required: the customer to render for")
          @Size(max = 200, message = "must be at most 200 characters")
          String customerId,
      @QueryParam("variant") @Size(max = 64, message = "must be at most 64 characters")
          String variant,
      @QueryParam("locale")
          @Pattern(
              regexp = ContentResource.LOCALE,
              message = "must be a language tag such as es-MX")
          String locale) {
    return preview.render(id, customerId, blankToNull(variant), locale);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
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
