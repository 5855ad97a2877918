package io.nextbest.content.rest;

import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.common.rest.Problem;
import io.nextbest.content.ContentConfig;
import io.nextbest.content.messaging.OutcomePublisher;
import io.nextbest.content.service.ServedDecisions;
import io.nextbest.events.Outcome;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Clicks, conversions and dismissals reported by frontends, published as outcomes: each for a
 * decision whose content was shown to the customer the caller may act as (see {@link
 * FrontendAccess#actingAs}), never another customer's.
 */
@Path("/api/v1/content/events")
@Produces(MediaType.APPLICATION_JSON)
public class ContentEventResource {
  private final OutcomePublisher outcomes;
  private final ServedDecisions served;
  private final double maxValue;

  public ContentEventResource(
      OutcomePublisher outcomes, ServedDecisions served, ContentConfig config) {
    this.outcomes = outcomes;
    this.served = served;
    this.maxValue = config.maxConversionValue();
  }

  /**
   * A frontend event about content it showed.
   *
   * @param id client event id: a replay with the same id is counted once
   * @param type impression (confirms the one logged when the content was served: same outcome id,
   *     counted once), click, conversion or dismiss
   * @param decisionId the decision id of the content response
   * @param customerId the customer (or the anonymous id the SDK keeps)
   * @param value order value of a conversion
   * @param occurredAt when; now if absent
   */
  public record ContentEvent(
      @NotBlank @Size(max = 100) String id,
      @NotBlank
          @Pattern(
              regexp = "impression|click|conversion|dismiss",
              message = "must be impression, click, conversion or dismiss")
          String type,
      @NotBlank @Size(max = 200) String decisionId,
      @NotBlank @Size(max = 200) String customerId,
      @PositiveOrZero Double value,
      Instant occurredAt) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Record a click, conversion or dismissal (idempotent by id)")
  @APIResponse(
      responseCode = "202",
      description = "Accepted: {id, accepted}",
      content = @Content(mediaType = MediaType.APPLICATION_JSON))
  @APIResponse(
      responseCode = "400",
      description = "A malformed event, or a decision whose content was not shown to this visitor",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "503",
      description = "Too many outcomes waiting for the broker; retry after Retry-After",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<Response> record(@NotNull @Valid ContentEvent e, @Context RoutingContext ctx) {
    if (e.value() != null && !"conversion".equals(e.type())) {
      throw new InvalidInputException("value", "only a conversion carries a value");
    }
    if (e.value() != null && !(Double.isFinite(e.value()) && e.value() <= maxValue)) {
      // a public endpoint: one absurd value must not reach the learner's rewards
      throw new InvalidInputException(
          "value",
          String.format(
              Locale.ROOT,
              "must be a finite amount from 0 to %.2f (nextbest.content.max-conversion-value)",
              maxValue));
    }
    Instant at = e.occurredAt() == null ? Instant.now() : e.occurredAt();
    if (at.isAfter(Instant.now().plus(Duration.ofDays(1)))) {
      throw new InvalidInputException("occurredAt", "is more than a day in the future");
    }
    String id =
        "impression".equals(e.type()) ? "impression:" + e.decisionId() : "content:" + e.id();
    // the customer the caller may act as (a signed or trusted id, else the anonymous visitor), and
    // only for a decision whose content was shown to that customer
    String customer = FrontendAccess.actingAs(ctx, e.customerId());
    Outcome o = new Outcome(id, e.type(), customer, at, e.decisionId(), e.value());
    return served
        .servedTo(e.decisionId(), customer)
        .chain(
            mine -> {
              if (!mine) {
                throw new InvalidInputException(
                    "decisionId", "is not a decision whose content was shown to this customer");
              }
              return outcomes.publish(o);
            })
        .replaceWith(Response.accepted(Map.of("id", o.id(), "accepted", true)).build());
  }
}
