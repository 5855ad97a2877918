package io.nextbest.content.rest;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What each variant earned, and what became of one impression; both built from the outcomes topic.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class VariantReportResource {
  private final Pool pool;

  public VariantReportResource(Pool pool) {
    this.pool = pool;
  }

  @GET
  @Path("/templates/{id}/stats")
  @Operation(summary = "Impressions, clicks and conversions per variant, pooled over translations")
  public Uni<List<Map<String, Object>>> stats(@PathParam("id") long templateId) {
    return pool.preparedQuery(
            "select variant_id, impressions, clicks, conversions from variant_stats"
                + " where template_id = $1 order by variant_id")
        .execute(Tuple.of(templateId))
        .map(
            rows -> {
              List<Map<String, Object>> out = new ArrayList<>();
              for (Row r : rows) {
                long shown = r.getLong("impressions");
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("variantId", r.getString("variant_id"));
                v.put("impressions", shown);
                v.put("clicks", r.getLong("clicks"));
                v.put("conversions", r.getLong("conversions"));
                v.put("clickRate", shown == 0 ? 0.0 : r.getLong("clicks") / (double) shown);
                v.put(
                    "conversionRate", shown == 0 ? 0.0 : r.getLong("conversions") / (double) shown);
                out.add(v);
              }
              return out;
            });
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
