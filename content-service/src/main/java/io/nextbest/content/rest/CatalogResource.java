package io.nextbest.content.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.content.recs.Recommendations;
import io.nextbest.content.template.ContentCatalog;
import io.nextbest.content.template.Placement;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Placements, locale fallback chains and recommendations, read-only. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {
  private final ContentCatalog catalogue;
  private final Recommendations recommendations;

  public CatalogResource(ContentCatalog catalogue, Recommendations recommendations) {
    this.catalogue = catalogue;
    this.recommendations = recommendations;
  }

  @GET
  @Path("/placements")
  public Collection<Placement> placements() {
    return catalogue.snapshot().placements().values();
  }

  @GET
  @Path("/locales/{tag}/chain")
  @Operation(summary = "The fallback chain content for this locale is looked up in")
  public Map<String, Object> chain(
      @PathParam("tag")
          @jakarta.validation.constraints.Pattern(
              regexp = "[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}",
              message = "must be a language tag such as es-MX")
          String tag) {
    var locales = catalogue.snapshot().locales();
    return Map.of("locale", tag, "known", locales.known(tag), "chain", locales.chain(tag));
  }

  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.SERVICE})
  @GET
  @Path("/recommendations/{customerId}")
  @Operation(summary = "Co-purchase recommendations for a customer, popular items as fallback")
  public Uni<List<Map<String, Object>>> recommendations(
      @PathParam("customerId") @Size(max = 200) String customerId,
      @QueryParam("k") @DefaultValue("10") @Min(1) @Max(50) int k) {
    return recommendations.forCustomer(customerId, k);
  }
}
