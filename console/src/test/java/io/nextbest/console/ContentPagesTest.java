package io.nextbest.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(FakeServices.class)
class ContentPagesTest {
  static final String ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;";

  private static String page(String path) {
    return Browser.as("marketer").get(path).then().statusCode(200).extract().asString();
  }

  @Test
  void listsTemplatesWithVariantsAndLocalesEscaped() {
    String html = page("/content");
    assertThat(html).doesNotContain(FakeInsightServices.SCRIPT).contains(ESCAPED);
    assertThat(html).contains("/content/7").contains("<strong>a</strong> (en, es)");
    assertThat(html).contains("<caption>").contains("scope=\"col\"");
  }

  @Test
  void showsEachVariantsPosteriorAndTheAllocationChart() {
    String html = page("/content/7");
    assertThat(html)
        .contains("10.78% (95%: 5.56% to 17.46%)")
        .contains("2.94% (95%: 0.61% to 6.97%)");
    assertThat(html)
        .contains("data-chart=\"daily\"")
        .contains("role=\"img\"")
        .contains(
            "aria-label=\"Impressions per day of each variant from 2026-11-04 to 2026-12-03\"");
    // the chart's data travels escaped in an attribute, a variant's hostile name included
    assertThat(html).contains("data-series=\"{&quot;days&quot;:[&quot;2026-12-01&quot;");
    assertThat(html).doesNotContain(FakeInsightServices.SCRIPT);
    // the day without the hostile variant counts zero for it
    assertThat(html).contains("<th scope=\"row\">2026-12-02</th><td>0</td><td>55</td>");
  }

  @Test
  void previewsForAChosenCustomerInASandboxedFrameWithNothingRunnable() {
    FakeInsightServices.QUERIES.clear();
    String html = page("/content/7/preview?customerId=mallory&variant=a&locale=es");
    assertThat(FakeInsightServices.QUERIES)
        .contains("GET /api/v1/templates/7/preview?customerId=mallory&variant=a&locale=es");
    assertThat(html).contains("<iframe").contains(" sandbox ").contains("srcdoc=\"&lt;section");
    assertThat(html).doesNotContain(FakeInsightServices.SCRIPT).doesNotContain("<section");
    assertThat(html).contains("href=\"/customers/mallory\"").contains("logs nothing");
    // the whole page carries the preview too (works without htmx)
    String full = page("/content/7?customerId=mallory");
    assertThat(full).contains("<iframe").doesNotContain(FakeInsightServices.SCRIPT);
    assertThat(full).contains("title=\"Variant a as customer mallory would see it\"");
  }

  @Test
  void anUnknownCustomerShowsTheServicesMessage() {
    String html = page("/content/7/preview?customerId=nobody");
    assertThat(html).contains("No customer &#39;nobody&#39;.").doesNotContain("<iframe");
  }

  @Test
  void contentServiceDownShowsAMessageOnEachPanelAndThePageAnswers() {
    String html = page("/content/13?customerId=mallory");
    assertThat(html).contains("content-service is not answering (answered 503)");
    assertThat(html).contains("Customer id");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/content/7?days=0",
        "/content/7?days=367",
        "/content/7?days=many",
        "/content/7?locale=not%20a%20locale",
        "/content/7/preview?customerId=mallory&variant=%3Cb%3E",
        "/content?placement=%3Cscript%3E"
      })
  void refusesQueryParametersOutOfBounds(String path) {
    String html = Browser.as("marketer").get(path).then().statusCode(400).extract().asString();
    assertThat(html).contains("Bad request").doesNotContain("<script>");
  }

  @Test
  void refusesACustomerIdLongerThanTheServicesAccept() {
    Browser.as("marketer")
        .get("/content/7/preview?customerId=" + "x".repeat(201))
        .then()
        .statusCode(400);
  }
}
