package io.nextbest.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(FakeServices.class)
class SegmentPagesTest {

  private static String page(String path) {
    return Browser.as("marketer").get(path).then().statusCode(200).extract().asString();
  }

  @Test
  void listsSegmentsWithSizesAndDescribesCentroidsInWords() {
    String html = page("/segments");
    assertThat(html).doesNotContain(FakeInsightServices.SCRIPT).contains(ContentPagesTest.ESCAPED);
    assertThat(html).contains("<td>42</td>").contains("<td>400</td>");
    assertThat(html)
        .contains(
            "bought about 3 times, last 40 days ago, spends 25.00 per order, 12-month CLV 80;"
                + " a customer for 400 days, 90% likely still active");
  }

  @Test
  void aSegmentsMembershipOverTimeIsChartedAndItsMembersPaged() {
    String html = page("/segments?members=vip&days=90");
    assertThat(FakeInsightServices.QUERIES)
        .contains("GET /api/v1/segments/vip/history?days=90")
        .contains("GET /api/v1/segments/vip/members?limit=25");
    assertThat(html)
        .contains("data-chart=\"daily\"")
        .contains("role=\"img\"")
        .contains("aria-label=\"Members of segment vip per day from 2026-11-04 to 2026-12-03\"")
        .contains("<th scope=\"row\">2026-12-03</th><td>42</td>");
    assertThat(html).doesNotContain(FakeInsightServices.SCRIPT).contains(ContentPagesTest.ESCAPED);
    assertThat(html)
        .contains("href=\"/customers/%3Cscript%3Ealert%28%27x%27%29%3C%2Fscript%3E\"")
        .contains("after=c-25");
  }

  @Test
  void profileServiceDownForOneSegmentShowsMessagesAndTheRestOfThePage() {
    String html = page("/segments?members=down");
    assertThat(html).contains("profile-service is not answering (answered 503)");
    assertThat(html).contains("bought about 3 times");
  }

  @Test
  void refusesQueryParametersOutOfBounds() {
    Browser.as("marketer").get("/segments?members=vip&days=0").then().statusCode(400);
    Browser.as("marketer").get("/segments?members=vip&days=401").then().statusCode(400);
    Browser.as("marketer")
        .get("/segments?members=vip&after=" + "c".repeat(129))
        .then()
        .statusCode(400);
    Browser.as("marketer").get("/segments?members=" + "s".repeat(129)).then().statusCode(400);
  }
}
