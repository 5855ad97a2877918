package io.nextbest.profile.rest;

import com.fasterxml.jackson.databind.util.RawValue;
import io.nextbest.common.auth.Roles;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.profile.service.ErasureService;
import io.nextbest.profile.service.IdentityMergeService;
import io.nextbest.profile.service.ProfileService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestMulti;

/** Customer profiles: attributes, features, predictions, consents, identities, privacy. */
@Path("/api/v1/profiles/{customerId}")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {
  static final String ID = "[\\p{Alnum}._:@+\\-]{1,128}";
  static final String ID_MESSAGE = "must be 1-128 letters, digits or ._:@+-";

  private final ProfileService profiles;
  private final IdentityMergeService merges;
  private final ErasureService erasure;

  public ProfileResource(
      ProfileService profiles, IdentityMergeService merges, ErasureService erasure) {
    this.profiles = profiles;
    this.merges = merges;
    this.erasure = erasure;
  }

  /**
   * Body of a profile replacement or merge patch.
   *
   * @param attributes email, name, locale, timezone, birthdate, country, traits
   */
  public record ProfileUpdate(@NotNull(message = "is required") Map<String, Object> attributes) {}

  /**
   * A consent decision.
   *
   * @param granted whether the customer agrees to be contacted on the channel
   * @param source where the decision was made, e.g. "preference-centre" or "checkout"
   */
  public record ConsentUpdate(
      @NotNull(message = "is required: true or false") Boolean granted,
      @NotBlank(message = "is required, e.g. preference-centre") String source) {}

  /**
   * An id to merge into this customer.
   *
   * @param alias anonymous or secondary id whose history joins this profile
   */
  public record AliasRequest(
      @NotNull(message = "is required") @Pattern(regexp = ID, message = ID_MESSAGE) String alias) {}

  /** The cached JSON is sent as stored: a hot read costs one Redis GET and no (de)serialising. */
  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.SERVICE, Roles.PROFILES_READ})
  @GET
  @Operation(summary = "The profile with features and predictions (Redis when hot)")
  @APIResponse(
      responseCode = "200",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ProfileSnapshot.class)))
  public Uni<String> get(@PathParam("customerId") String customerId) {
    return profiles.findJson(customerId).onItem().ifNull().failWith(() -> notFound(customerId));
  }

  private Uni<ProfileSnapshot> snapshot(String customerId) {
    return profiles.find(customerId).onItem().ifNull().failWith(() -> notFound(customerId));
  }

  @RolesAllowed({Roles.ADMIN, Roles.MARKETER, Roles.SERVICE, Roles.PROFILES_READ})
  @GET
  @Path("/predictions")
  @Operation(
      summary = "P(alive), churn risk, expected purchases, purchase probability, 12-month CLV")
  public Uni<Map<String, Object>> predictions(@PathParam("customerId") String customerId) {
    return snapshot(customerId).map(ProfileSnapshot::predictions);
  }

  @RolesAllowed({Roles.ADMIN, Roles.SERVICE, Roles.PROFILES_WRITE})
  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Replace the profile's attributes (creates the profile if needed)")
  public Uni<ProfileSnapshot> put(
      @PathParam("customerId") @Pattern(regexp = ID, message = ID_MESSAGE) String customerId,
      @Valid @NotNull(message = "must be a JSON object with attributes") ProfileUpdate update) {
    return profiles.replaceAttributes(customerId, update.attributes());
  }

  @RolesAllowed({Roles.ADMIN, Roles.SERVICE, Roles.PROFILES_WRITE})
  @PATCH
  @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
  @Operation(summary = "Merge attributes into the profile; a null value removes one")
  public Uni<ProfileSnapshot> patch(
      @PathParam("customerId") @Pattern(regexp = ID, message = ID_MESSAGE) String customerId,
      @Valid @NotNull(message = "must be a JSON object with attributes") ProfileUpdate update) {
    return profiles.patchAttributes(customerId, update.attributes());
  }

  @RolesAllowed({Roles.ADMIN, Roles.SERVICE, Roles.PROFILES_WRITE})
  @PUT
  @Path("/consents/{channel}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Record consent for a channel (email, sms, push, web) with its source")
  public Uni<ProfileSnapshot> consent(
      @PathParam("customerId") @Pattern(regexp = ID, message = ID_MESSAGE) String customerId,
      @PathParam("channel") String channel,
      @Valid @NotNull(message = "must be a JSON object with granted and source")
          ConsentUpdate consent) {
    return profiles.setConsent(customerId, channel, consent.granted(), consent.source());
  }

  @RolesAllowed({Roles.ADMIN, Roles.IDENTITY_MERGE})
  @POST
  @Path("/aliases")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Merge an anonymous or secondary id into this customer",
      description =
          "Needs identity:merge (or admin). An alias that is itself an identified customer (with"
              + " a name or e-mail) is merged only with an admin token, and the merge is logged"
              + " with the token's subject.")
  public Uni<ProfileSnapshot> merge(
      @PathParam("customerId") @Pattern(regexp = ID, message = ID_MESSAGE) String customerId,
      @Valid @NotNull(message = "must be a JSON object with alias") AliasRequest request,
      @Context SecurityContext security) {
    String by = security.getUserPrincipal() == null ? "?" : security.getUserPrincipal().getName();
    return merges.mergeAlias(customerId, request.alias(), security.isUserInRole(Roles.ADMIN), by);
  }

  @RolesAllowed(Roles.ADMIN)
  @GET
  @Path("/export")
  @Operation(
      summary = "Everything held about the person (GDPR access)",
      description =
          "One JSON object: profile, consents, features, predictions, segments, aliases and every"
              + " event, oldest first. Streamed: the events are read and sent a page at a time"
              + " (nextbest.profile.export.page-size).")
  public RestMulti<RawValue> export(@PathParam("customerId") String customerId) {
    Multi<RawValue> document =
        profiles
            .exportProfile(customerId)
            .onItem()
            .ifNull()
            .failWith(() -> notFound(customerId))
            .onItem()
            .transformToMulti(profiles::exportDocument)
            .map(RawValue::new);
    // the pieces are one JSON object's text, written as they are, not the items of an array
    return RestMulti.fromMultiData(document).encodeAsJsonArray(false).build();
  }

  @RolesAllowed(Roles.ADMIN)
  @DELETE
  @Operation(
      summary = "Erase the person (GDPR erasure)",
      description =
          "Deletes profile, events, aliases and cache entries, publishes a tombstone on the"
              + " profiles topic and an erase request on the privacy topic.")
  public Uni<Response> erase(@PathParam("customerId") String customerId) {
    return erasure
        .erase(customerId)
        .map(
            found -> {
              if (!found) {
                throw notFound(customerId);
              }
              return Response.noContent().build();
            });
  }

  private static NotFoundException notFound(String customerId) {
    return new NotFoundException("No profile for customer '" + customerId + "'.");
  }
}
