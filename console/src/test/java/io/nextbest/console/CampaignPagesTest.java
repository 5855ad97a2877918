package io.nextbest.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(FakeServices.class)
class CampaignPagesTest {

  @Test
  void escapesAnAttackerControlledCampaignName() {
    String html =
        Browser.as("marketer").get("/campaigns").then().statusCode(200).extract().asString();
    assertThat(html).doesNotContain(FakeServices.SCRIPT);
    assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assertThat(html).contains("2 per 7 days").contains("10.0%").contains("manual 5");
  }

  @Test
  void aServiceThatIsDownShowsAMessageAndThePageStillAnswers() {
    // decision-service (the last 7 days' figures) is down; the list from eligibility still shows
    String html =
        Browser.as("marketer").get("/campaigns").then().statusCode(200).extract().asString();
    assertThat(html).contains("decision-service is not answering").contains("/campaigns/evil");
    Browser.as("marketer")
        .get("/overview")
        .then()
        .statusCode(200)
        .body(containsString("decision-service is not answering"));
  }

  @Test
  void liveValidationShowsTheCelErrorAtItsPosition() {
    String html =
        Browser.as("marketer")
            .formParam("csrf", Browser.CSRF)
            .formParam("id", "spring")
            .formParam("rule", "true &&& false")
            .post("/campaigns/check")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(html).contains("line 1, column 6").contains("true &amp;&amp;&amp; false\n     ^");
  }

  @Test
  void refusesACampaignFormWithoutTheCsrfToken() {
    Browser.as("marketer")
        .formParam("id", "spring")
        .formParam("rule", "true")
        .post("/campaigns")
        .then()
        .statusCode(403);
    Browser.as("marketer")
        .formParam("csrf", "d".repeat(43))
        .formParam("rule", "true")
        .post("/campaigns/check")
        .then()
        .statusCode(403);
  }

  @Test
  void refusesAListFilterOrOffsetOutOfBounds() {
    Browser.as("marketer").get("/campaigns?status=deleted").then().statusCode(400);
    Browser.as("marketer").get("/campaigns?offset=-1").then().statusCode(400);
    Browser.as("marketer").get("/campaigns?offset=many").then().statusCode(400);
    Browser.as("marketer").get("/campaigns?status=active&offset=25").then().statusCode(200);
  }
}
