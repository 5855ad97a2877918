package io.nextbest.decision.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.decision.repository.DecisionLogRepository;
import io.nextbest.decision.service.RealtimeDecisions;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Real-time decisions and the decision log. */
@Path("/api/v1/decisions")
@Produces(MediaType.APPLICATION_JSON)
public class DecisionResource {
  private final DecisionLogRepository log;
  private final RealtimeDecisions decisions;
  private final ObjectMapper mapper;

  public DecisionResource(
      DecisionLogRepository log, RealtimeDecisions decisions, ObjectMapper mapper) {
    this.log = log;
    this.decisions = decisions;
    this.mapper = mapper;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Decide the next best campaign, or none, for a customer now")
  public Uni<DecisionResponse> decide(@Valid @NotNull DecisionRequest request) {
    if (request.placement() == null && request.channel() == null && request.candidates() == null) {
      throw new InvalidInputException("placement", "give a placement or a channel");
    }
    return decisions.decide(request);
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
