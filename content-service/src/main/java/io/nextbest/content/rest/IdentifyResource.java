package io.nextbest.content.rest;

import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.common.rest.Problem;
import io.nextbest.content.service.IdentityService;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The SDK's {@code identify()}: a visitor who was anonymous is now a known customer, and the
 * anonymous id's history joins the customer. Only for a customer id the caller may act as (signed
 * by the site's backend, or a key that trusts unsigned ids), and only for an SDK anonymous id, so a
 * public call can neither merge into someone else nor take a known customer's history.
 */
@Path("/api/v1/content/identify")
@Produces(MediaType.APPLICATION_JSON)
public class IdentifyResource {
  private final IdentityService identities;

  public IdentifyResource(IdentityService identities) {
    this.identities = identities;
  }

  /**
   * Who the visitor was and who they are.
   *
   * @param anonymousId the id the SDK kept for the visitor ({@code NextBest.anonymousId()})
   * @param customerId the customer who identified, signed with {@code sig} on a signing key
   */
  public record Identify(
      @NotNull(message = "is required")
          @Pattern(
              regexp = "anon-[A-Za-z0-9-]{1,100}",
              message =
                  "must be an anonymous id of the SDK (anon- and up to 100 letters or digits)")
          String anonymousId,
      @NotNull(message = "is required")
          @Pattern(
              regexp = "[\\p{Alnum}._:@+\\-]{1,128}",
              message = "must be 1-128 letters, digits or ._:@+-")
          String customerId) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Merge the visitor's anonymous id into the customer who identified",
      description =
          "The customer id counts only when signed (sig or X-NextBest-Customer-Signature: hex"
              + " HMAC-SHA256 of the id under the site key's secret, computed by the site's"
              + " backend) or when the key trusts unsigned ids. profile-service then re-keys the"
              + " anonymous id's events to the customer, and later events under it land there.")
  @APIResponse(
      responseCode = "200",
      description = "Merged (again: a repeated merge changes nothing): {customerId, anonymousId}",
      content = @Content(mediaType = MediaType.APPLICATION_JSON))
  @APIResponse(
      responseCode = "400",
      description = "A malformed id, named in errors",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "403",
      description = "The customer id is not signed (or the browser origin is not the key's)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description =
          "profile-service refused: the anonymous id is merged into another customer, names a"
              + " person, or was erased",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "503",
      description = "profile-service unavailable; retry after Retry-After",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<Map<String, String>> identify(
      @NotNull(message = "must be a JSON object with anonymousId and customerId") @Valid
          Identify request,
      @Context RoutingContext ctx) {
    if (request.anonymousId().equals(request.customerId())) {
      throw new InvalidInputException("customerId", "must differ from anonymousId");
    }
    if (!FrontendAccess.actingAs(ctx, request.customerId()).equals(request.customerId())) {
      throw new WebApplicationException(
          "customerId is not signed: the site's backend signs it (sig = hex HMAC-SHA256 of the id"
              + " under the site key's customer-id-secret) where the customer is logged in",
          403);
    }
    return identities
        .merge(request.customerId(), request.anonymousId())
        .replaceWith(
            Map.of("customerId", request.customerId(), "anonymousId", request.anonymousId()));
  }
}
