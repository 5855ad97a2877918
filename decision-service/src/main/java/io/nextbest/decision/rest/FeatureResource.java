package io.nextbest.decision.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.decision.learning.ModelStore;
import io.nextbest.decision.service.ContextKeys;
import io.nextbest.models.policy.FeatureSchema;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The declared feature schema of the decision model and the context keys it could not use. */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER})
@Path("/api/v1/features")
@Produces(MediaType.APPLICATION_JSON)
public class FeatureResource {
  private final ModelStore models;
  private final ContextKeys keys;

  public FeatureResource(ModelStore models, ContextKeys keys) {
    this.models = models;
    this.keys = keys;
  }

  /**
   * The schema.
   *
   * @param encoder the id logged with every decision (version and a fingerprint of the schema)
   * @param schema what is declared (nextbest.decision.features.*)
   * @param names every feature, in vector order; {@code campaign:*} ones depend on the action
   * @param ignoredKeys context keys and traits this replica could not use, with counts
   */
  public record SchemaView(
      String encoder, FeatureSchema schema, List<String> names, Map<String, Long> ignoredKeys) {}

  @GET
  @Operation(summary = "The decision model's feature schema and the context keys it ignored")
  public SchemaView schema() {
    var e = models.encoder();
    return new SchemaView(e.id(), e.schema(), e.names(), keys.snapshot());
  }
}
