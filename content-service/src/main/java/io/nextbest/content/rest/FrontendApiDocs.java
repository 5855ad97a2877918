package io.nextbest.content.rest;

import io.nextbest.common.rest.Problem;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Documents what {@link FrontendAccess} does in front of every frontend endpoint ({@code
 * /api/v1/content/*}), so that the OpenAPI document (and Swagger UI's "Try it out") names the site
 * key: the security schemes {@value #HEADER_SCHEME} (the {@code X-NextBest-Key} header) and {@value
 * #QUERY_SCHEME} (the {@code key} parameter), either of which each operation requires, and the
 * filter's answers 401 (no known key), 403 (a browser origin the key does not list) and 429 (over
 * the key's rate), each an RFC 9457 problem. Responses an operation declares itself are kept.
 */
public class FrontendApiDocs implements OASFilter {
  static final String HEADER_SCHEME = "siteKey";
  static final String QUERY_SCHEME = "siteKeyParameter";
  private static final String PREFIX = "/api/v1/content";
  private static final String PROBLEM = "#/components/schemas/" + Problem.class.getSimpleName();
  private static final String KEY_DESCRIPTION =
      "The frontend's publishable site key, e.g. pk_demo_storefront (the demo storefront's)";

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    if (openAPI.getComponents() == null) {
      openAPI.setComponents(OASFactory.createComponents());
    }
    Components components = openAPI.getComponents();
    components.addSecurityScheme(
        HEADER_SCHEME,
        OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.APIKEY)
            .in(SecurityScheme.In.HEADER)
            .name(FrontendAccess.KEY_HEADER)
            .description(KEY_DESCRIPTION + ", as a header"));
    components.addSecurityScheme(
        QUERY_SCHEME,
        OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.APIKEY)
            .in(SecurityScheme.In.QUERY)
            .name(FrontendAccess.KEY_PARAM)
            .description(KEY_DESCRIPTION + ", as a query parameter"));
    if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
      return;
    }
    for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
      if (!path.getKey().startsWith(PREFIX + "/")) {
        continue;
      }
      for (Operation operation : path.getValue().getOperations().values()) {
        document(operation);
      }
    }
  }

  private static void document(Operation operation) {
    // either scheme: two requirements are alternatives
    operation.addSecurityRequirement(
        OASFactory.createSecurityRequirement().addScheme(HEADER_SCHEME));
    operation.addSecurityRequirement(
        OASFactory.createSecurityRequirement().addScheme(QUERY_SCHEME));
    if (operation.getResponses() == null) {
      operation.setResponses(OASFactory.createAPIResponses());
    }
    var responses = operation.getResponses();
    if (!responses.hasAPIResponse("401")) {
      responses.addAPIResponse(
          "401",
          problem("No site key, or one that is not known: name it in X-NextBest-Key or key"));
    }
    if (!responses.hasAPIResponse("403")) {
      responses.addAPIResponse(
          "403", problem("A browser origin the site key does not list (no CORS headers)"));
    }
    responses.addAPIResponse(
        "429",
        problem("Over the site key's calls per second; retry after Retry-After")
            .addHeader(
                "Retry-After",
                OASFactory.createHeader()
                    .description("seconds to wait")
                    .schema(
                        OASFactory.createSchema()
                            .addType(
                                org.eclipse.microprofile.openapi.models.media.Schema.SchemaType
                                    .INTEGER))));
  }

  private static APIResponse problem(String description) {
    return OASFactory.createAPIResponse()
        .description(description)
        .content(
            OASFactory.createContent()
                .addMediaType(
                    Problem.MEDIA_TYPE,
                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM))));
  }
}
