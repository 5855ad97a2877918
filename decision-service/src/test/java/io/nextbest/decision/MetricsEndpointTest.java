package io.nextbest.decision;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
class MetricsEndpointTest {
  @Test
  void businessMetricsAreServedInPrometheusFormat() {
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("nextbest_decision_policy_mode"))
        .body(containsString("nextbest_decision_policy_model_version"))
        .body(containsString("nextbest_decision_learning_lag_seconds"))
        .body(containsString("nextbest_decision_learned_total{horizon=\"decision\"}"))
        .body(containsString("nextbest_decision_fallbacks_total{reason=\"profile-unavailable\"}"));
  }

  @Test
  void tracingIsOffUnlessSwitchedOn() {
    org.assertj.core.api.Assertions.assertThat(
            org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.otel.sdk.disabled", Boolean.class))
        .isTrue();
  }
}
