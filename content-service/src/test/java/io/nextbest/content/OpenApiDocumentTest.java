package io.nextbest.content;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document (what Swagger UI's "Try it out" sends) names the site key the frontend
 * endpoints need and every answer they give.
 */
@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(DecisionServiceDouble.class)
class OpenApiDocumentTest {
  private static final String PROBLEM = "application/problem+json";

  private static JsonPath document() {
    return given()
        .auth()
        .none()
        .queryParam("format", "json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void theSiteKeyIsASecuritySchemeInTheHeaderAndTheQuery() {
    JsonPath doc = document();
    assertThat(doc.getMap("components.securitySchemes.siteKey"))
        .containsEntry("type", "apiKey")
        .containsEntry("in", "header")
        .containsEntry("name", "X-NextBest-Key");
    assertThat(doc.getMap("components.securitySchemes.siteKeyParameter"))
        .containsEntry("type", "apiKey")
        .containsEntry("in", "query")
        .containsEntry("name", "key");
  }

  @Test
  void everyFrontendOperationNeedsTheKeyAndDeclaresItsAnswers() {
    JsonPath doc = document();
    Map<String, List<String>> codes =
        Map.of(
            "paths.'/api/v1/content/{placement}'.get",
            List.of("200", "400", "401", "403", "404", "429"),
            "paths.'/api/v1/content/events'.post",
            List.of("202", "400", "401", "403", "429", "503"),
            "paths.'/api/v1/content/identify'.post",
            List.of("200", "400", "401", "403", "409", "429", "503"));
    codes.forEach(
        (operation, expected) -> {
          assertThat(doc.getList(operation + ".security"))
              .as(operation)
              .containsExactlyInAnyOrder(
                  Map.of("siteKey", List.of()), Map.of("siteKeyParameter", List.of()));
          Map<String, Object> responses = doc.getMap(operation + ".responses");
          assertThat(responses).as(operation).containsKeys(expected.toArray(String[]::new));
          for (String code : expected) {
            if (code.startsWith("4") || code.startsWith("5")) {
              assertThat(
                      doc.getString(
                          operation
                              + ".responses.'"
                              + code
                              + "'.content.'"
                              + PROBLEM
                              + "'.schema.$ref"))
                  .as(operation + " " + code)
                  .isEqualTo("#/components/schemas/Problem");
            }
          }
        });
    assertThat(doc.getMap("components.schemas.Problem.properties"))
        .containsKeys("status", "detail");
    // the marketer APIs take a token, not the site key
    assertThat(
            java.util.Objects.requireNonNullElse(
                doc.getList("paths.'/api/v1/templates'.get.security"), List.of()))
        .doesNotContain(Map.of("siteKey", List.of()));
  }
}
