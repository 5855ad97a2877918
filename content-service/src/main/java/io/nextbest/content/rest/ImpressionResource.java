package io.nextbest.content.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.content.repository.ImpressionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What each variant earned, and what became of one impression; both built from the outcomes topic.
 */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER})
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ImpressionResource {
  private final ImpressionRepository impressions;

  public ImpressionResource(ImpressionRepository impressions) {
    this.impressions = impressions;
  }

  @GET
  @Path("/impressions/{decisionId}")
  @Operation(summary = "The content a decision showed and whether it was clicked or converted")
  public Uni<Map<String, Object>> impression(
      @PathParam("decisionId") @Size(max = 200) String decisionId) {
    return impressions
        .byDecision(decisionId)
        .map(
            r -> {
              if (r == null) {
                throw new NotFoundException("No impression of decision '" + decisionId + "'.");
              }
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("decisionId", decisionId);
              out.put("templateId", r.templateId());
              out.put("variantId", r.variantId());
              out.put("locale", r.locale());
              out.put("clicked", r.clicked());
              out.put("converted", r.converted());
              out.put("shownAt", r.shownAt().toString());
              return out;
            });
  }
}
