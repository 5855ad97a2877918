package io.nextbest.profile.rest;

import io.nextbest.common.auth.Roles;
import io.nextbest.common.rest.Problem;
import io.nextbest.common.rest.ProblemMappers;
import io.nextbest.profile.messaging.IngestLag;
import io.nextbest.profile.service.EventIntake;
import io.nextbest.profile.service.IngestBehindException;
import io.nextbest.profile.service.IngestPressure;
import io.nextbest.profile.service.IngestResult;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Event ingestion. */
@RolesAllowed({Roles.ADMIN, Roles.SERVICE, Roles.EVENTS_WRITE})
@Path("/api/v1/events")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {
  private static final int RETRY_AFTER_SECONDS = 2;
  private final EventIntake ingest;
  private final IngestPressure pressure;
  private final IngestLag lag;

  public EventResource(EventIntake ingest, IngestPressure pressure, IngestLag lag) {
    this.ingest = ingest;
    this.pressure = pressure;
    this.lag = lag;
  }

  @POST
  @Operation(
      summary = "Ingest a batch of up to 1,000 events",
      description =
          "Valid events are written to the event log and answered once the broker acknowledged"
              + " them; its consumers store and fold them once per event id, so replays are"
              + " acknowledged and ignored; invalid ones are listed with their index, field and"
              + " reason.")
  public Uni<Response> ingest(
      @Valid @NotNull(message = "must be a JSON object with an events array") EventBatch batch,
      UriInfo uri,
      HttpServerRequest request) {
    var behind = pressure.overloaded();
    if (behind.isPresent()) {
      return Uni.createFrom().item(behind(behind.get(), uri));
    }
    return ingest
        .ingest(batch.events(), request.bytesRead())
        .map(result -> respond(result, batch, uri))
        .onFailure(IngestBehindException.class)
        .recoverWithItem(e -> behind(e.getMessage(), uri));
  }

  /**
   * How far the fold is behind, read from the broker now.
   *
   * @param eventsBehind records of the log not folded yet, summed over partitions
   * @param partitions each partition's end offset and the offset folded up to
   */
  public record Lag(long eventsBehind, List<IngestLag.Partition> partitions) {}

  @GET
  @Path("/lag")
  @Operation(
      summary = "How many records of the event log wait to be folded",
      description =
          "Records of nextbest.events.v1 after the ingest consumers' committed offsets, summed"
              + " over partitions and read from the broker at the call, with each partition's"
              + " end and folded offset. A loader that notes the ends right after its last"
              + " batch knows its events are folded once every partition's folded offset"
              + " reaches them, whatever else keeps arriving.")
  public Uni<Lag> lag() {
    return lag.refresh().map(r -> new Lag(r.behind(), r.partitions()));
  }

  // back-pressure before memory runs out: the sender retries later, nothing is lost
  private static Response behind(String detail, UriInfo uri) {
    return Response.fromResponse(
            ProblemMappers.respond(
                Problem.of(503, "Ingest is behind", detail, ProblemMappers.path(uri))))
        .header("Retry-After", RETRY_AFTER_SECONDS)
        .build();
  }

  private static Response respond(IngestResult result, EventBatch batch, UriInfo uri) {
    if (!result.rejected().isEmpty() && result.rejected().size() == batch.events().size()) {
      var errors =
          result.rejected().stream()
              .map(
                  r -> new Problem.FieldError("events[" + r.index() + "]." + r.field(), r.reason()))
              .toList();
      return ProblemMappers.respond(
          Problem.of(
                  400,
                  "No valid event",
                  "Every event of the batch was rejected.",
                  ProblemMappers.path(uri))
              .withErrors(errors));
    }
    return Response.accepted(result).build();
  }
}
