package io.nextbest.content;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(DecisionServiceDouble.class)
class MetricsEndpointTest {
  @Test
  void businessMetricsAreServedInPrometheusFormat() {
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("nextbest_content_served_total{reason=\"campaign\"}"))
        .body(containsString("nextbest_content_fallbacks_total{reason=\"decision-timeout\"}"))
        .body(containsString("nextbest_content_render_errors_total{template=\"campaign\"}"));
  }

  @Test
  void tracingIsOffUnlessSwitchedOn() {
    org.assertj.core.api.Assertions.assertThat(
            org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.otel.sdk.disabled", Boolean.class))
        .isTrue();
  }
}
