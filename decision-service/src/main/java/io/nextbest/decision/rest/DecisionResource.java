package io.nextbest.decision.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
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
  private final ObjectMapper mapper;

  public DecisionResource(DecisionLogRepository log, ObjectMapper mapper) {
    this.log = log;
    this.mapper = mapper;
  }

  @GET
  @Path("/{decisionId}")
  @Operation(summary = "A logged decision with its candidates, propensity and features")
  public Uni<DecisionView> get(@PathParam("decisionId") String decisionId) {
    return log.byId(decisionId)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundException("No decision '" + decisionId + "'."))
        .map(d -> DecisionView.of(d, mapper));
  }
}
