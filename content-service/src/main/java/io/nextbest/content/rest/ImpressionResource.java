package io.nextbest.content.rest;

import io.nextbest.common.auth.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
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
  private final Pool pool;

  public ImpressionResource(Pool pool) {
    this.pool = pool;
  }

  @GET
  @Path("/impressions/{decisionId}")
  @Operation(summary = "The content a decision showed and whether it was clicked or converted")
  public Uni<Map<String, Object>> impression(
      @PathParam("decisionId") @Size(max = 200) String decisionId) {
    return pool.preparedQuery(
            "select template_id, variant_id, locale, clicked, converted, shown_at from impressions"
                + " where decision_id = $1")
        .execute(Tuple.of(decisionId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw new NotFoundException("No impression of decision '" + decisionId + "'.");
              }
              Row r = rows.iterator().next();
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("decisionId", decisionId);
              out.put("templateId", r.getLong("template_id"));
              out.put("variantId", r.getString("variant_id"));
              out.put("locale", r.getString("locale"));
              out.put("clicked", r.getBoolean("clicked"));
              out.put("converted", r.getBoolean("converted"));
              out.put("shownAt", r.getOffsetDateTime("shown_at").toInstant().toString());
              return out;
            });
  }
}
