package io.nextbest.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** End-to-end tests against the four services started once for the test class. */
abstract class RunningSystem {
  static NextBestSystem system;

  @BeforeAll
  static void startSystem() throws Exception {
    system = new NextBestSystem();
    system.start();
  }

  /** The customer clicks the content shown with this decision (recorded as an outcome). */
  static void clickContent(String customer, String decisionId) {
    given()
        .header("X-NextBest-Key", NextBestSystem.SITE_KEY)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "id",
                "click-" + customer,
                "type",
                "click",
                "decisionId",
                decisionId,
                "customerId",
                customer))
        .post(system.url("content") + "/api/v1/content/events")
        .then()
        .statusCode(202);
  }

  @AfterAll
  static void stopSystem() throws Exception {
    if (system != null) {
      system.close();
      system = null;
    }
  }
}
