package io.nextbest.content.rest;

import io.nextbest.common.rest.Problem;
import io.nextbest.content.service.ContentResponse;
import io.nextbest.content.service.ContentService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The frontend API: personalised content per placement, one call. A customer id counts as that
 * customer only when the site's backend signed it ({@code sig}) or the site key trusts unsigned
 * ids; otherwise the caller is an anonymous visitor with an id of its own derived from the one
 * sent, so nobody holding the public key sees another customer's content or spends their caps.
 */
@Path("/api/v1/content")
@Produces(MediaType.APPLICATION_JSON)
public class ContentResource {
  static final String LOCALE = "[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}";
  private final ContentService content;

  public ContentResource(ContentService content) {
    this.content = content;
  }

  @GET
  @Path("/{placement}")
  @Operation(
      summary =
          "Content for a customer at a placement: decision, variant, render, impression logged;"
              + " the placement's default content when nothing applies or a dependency is down")
  @APIResponse(
      responseCode = "200",
      description = "The content; never an error for a slow or failed dependency (see reason)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ContentResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "A malformed parameter, named in errors",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such placement",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<ContentResponse> content(
      @PathParam("placement")
          @Pattern(
              regexp = "[a-z0-9][a-z0-9-]{0,63}",
              message = "must be a placement name such as home-hero")
          String placement,
      @QueryParam("customerId") @Size(max = 200, message = "must be at most 200 characters")
          String customerId,
      @QueryParam("locale")
          @Pattern(regexp = LOCALE, message = "must be a language tag such as es-MX")
          @Parameter(
              description =
                  "the locale the page asks for; without it the profile's locale, else the"
                      + " browser's language (Accept-Language)")
          String locale,
      @QueryParam("channel")
          @Pattern(
              regexp = "web|in-app|email|sms|push",
              message = "must be web, in-app, email, sms or push")
          String channel,
      @QueryParam("page") @Size(max = 500, message = "must be at most 500 characters") String page,
      @QueryParam("sig")
          @Parameter(
              description =
                  "hex HMAC-SHA256 of customerId under the site key's secret, from the site's"
                      + " backend (or the X-NextBest-Customer-Signature header); without it the"
                      + " caller is an anonymous visitor")
          String sig,
      @HeaderParam("Accept-Language") @Parameter(hidden = true) String acceptLanguage,
      @HeaderParam(FrontendAccess.VERIFIED_HEADER) @Parameter(hidden = true) String verified) {
    Map<String, Object> context = new HashMap<>();
    if (locale != null) {
      context.put("locale", locale);
    }
    if (page != null) {
      context.put("page", page);
    }
    return content.contentFor(
        placement,
        customerId == null || customerId.isBlank() ? null : visitor(customerId, verified),
        locale,
        preferred(acceptLanguage),
        channel,
        context);
  }

  /** The first language of an Accept-Language header when it is a language tag, else null. */
  static String preferred(String acceptLanguage) {
    if (acceptLanguage == null) {
      return null;
    }
    String first = acceptLanguage.split(",", 2)[0].split(";", 2)[0].trim();
    return first.matches(LOCALE) ? first : null;
  }

  /** The id the call acts as: the customer's when verified, else an anonymous visitor's. */
  static String visitor(String customerId, String verified) {
    return customerId.equals(verified) ? customerId : FrontendAccess.anonymous(customerId);
  }
}
