package io.nextbest.profile.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.models.segments.ClusterModel;
import io.nextbest.profile.segments.ClusterFitting;
import io.nextbest.profile.segments.SegmentCatalog;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The K-means model behind the five marketing segments. */
@RolesAllowed({Roles.ADMIN, Roles.MARKETER})
@Path("/api/v1/admin/segment-model")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentModelResource {
  private final SegmentCatalog catalog;
  private final ClusterFitting fitting;

  public SegmentModelResource(SegmentCatalog catalog, ClusterFitting fitting) {
    this.catalog = catalog;
    this.fitting = fitting;
  }

  @GET
  @Operation(summary = "The model in use: scaling, labelled centroids and their typical member")
  public ClusterModel current() {
    ClusterModel m = catalog.clusters();
    if (m == null) {
      throw new NotFoundException(
          "No segment model yet; POST /api/v1/admin/segment-model/fit fits one.");
    }
    return m;
  }

  @RolesAllowed(Roles.ADMIN)
  @POST
  @Path("/fit")
  @Operation(
      summary = "Fit K-means over every purchaser, label the clusters, re-evaluate everyone",
      description = "Also runs after every CLV model refit (nightly).")
  public Uni<ClusterModel> fit() {
    return fitting.fit();
  }
}
