package io.nextbest.decision.rest;

import io.nextbest.decision.domain.LoggedDecision;
import io.nextbest.decision.repository.DecisionLogRepository;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The decision log. */
@Path("/api/v1/decisions")
@Produces(MediaType.APPLICATION_JSON)
public class DecisionResource {
  private final DecisionLogRepository log;

  public DecisionResource(DecisionLogRepository log) {
    this.log = log;
  }

  @GET
  @Path("/{decisionId}")
  @Operation(summary = "A logged decision with its candidates, propensity and features")
  public Uni<LoggedDecision> get(@PathParam("decisionId") String decisionId) {
    return log.byId(decisionId)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundException("No decision '" + decisionId + "'."));
  }
}
