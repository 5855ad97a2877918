package io.nextbest.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(FakeServices.class)
class CampaignDryRunTest {

  @Test
  void theDryRunCountsAndLinksItsExampleCustomersEscaped() {
    FakeInsightServices.QUERIES.clear();
    String html =
        Browser.as("marketer")
            .formParam("csrf", Browser.CSRF)
            .formParam("id", "spring")
            .formParam("rule", "features.purchaseCount >= 1")
            .post("/campaigns/dry-run")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(FakeInsightServices.QUERIES)
        .contains("POST /api/v1/campaigns/dry-run?limit=10000&examples=10");
    assertThat(html).contains("<strong>2</strong> of 100 customers");
    assertThat(html).contains("href=\"/customers/alice\">alice</a>");
    assertThat(html).doesNotContain(FakeInsightServices.SCRIPT).contains(ContentPagesTest.ESCAPED);
  }

  @Test
  void refusesADryRunWithoutTheCsrfToken() {
    Browser.as("marketer")
        .formParam("id", "spring")
        .formParam("rule", "true")
        .post("/campaigns/dry-run")
        .then()
        .statusCode(403);
  }
}
