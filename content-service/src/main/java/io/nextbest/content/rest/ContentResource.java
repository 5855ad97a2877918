package io.nextbest.content.rest;

import io.nextbest.content.service.ContentResponse;
import io.nextbest.content.service.ContentService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The frontend API: personalised content per placement. */
@Path("/api/v1/content")
@Produces(MediaType.APPLICATION_JSON)
public class ContentResource {
  private final ContentService content;

  public ContentResource(ContentService content) {
    this.content = content;
  }

  @GET
  @Path("/{placement}")
  @Operation(summary = "Content for a customer at a placement (the placement default if none)")
  public Uni<ContentResponse> content(
      @PathParam("placement")
          @Pattern(
              regexp = "[a-z0-9][a-z0-9-]{0,63}",
              message = "must be a placement name such as home-hero")
          String placement,
      @QueryParam("customerId") String customerId,
      @QueryParam("locale")
          @Pattern(
              regexp = "[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*",
              message = "must be a language tag such as es-MX")
          String locale,
      @QueryParam("channel") String channel) {
    return content.contentFor(placement, customerId, locale);
  }
}
