package io.nextbest.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(FakeServices.class)
class CustomerPagesTest {

  private static int erased() {
    String profile =
        ConfigProvider.getConfig().getValue("nextbest.console.services.profile", String.class);
    return given().auth().none().get(profile + "/_erased").then().extract().path("erased");
  }

  @Test
  void escapesAttackerControlledProfileValues() {
    String html =
        Browser.as("marketer")
            .get("/customers/mallory")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(html).doesNotContain(FakeServices.SCRIPT);
    assertThat(html).contains("&lt;script&gt;").contains("rule is false").contains("vip");
    // decision-service is down: its panel says so, the rest is drawn
    assertThat(html).contains("decision-service is not answering");
  }

  @Test
  void aMarketerSeesNoEraseButtonAndMayNotErase() {
    String html =
        Browser.as("marketer")
            .get("/customers/mallory")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(html).doesNotContain("/customers/mallory/erase");
    int before = erased();
    Browser.as("marketer")
        .formParam("csrf", Browser.CSRF)
        .formParam("confirm", "mallory")
        .post("/customers/mallory/erase")
        .then()
        .statusCode(403);
    Browser.as("marketer").get("/customers/mallory/erase").then().statusCode(403);
    assertThat(erased()).isEqualTo(before);
  }

  @Test
  void anAdminErasesAfterConfirmingTheId() {
    String html =
        Browser.as("admin").get("/customers/mallory").then().statusCode(200).extract().asString();
    assertThat(html).contains("/customers/mallory/erase");
    int before = erased();
    Browser.as("admin")
        .formParam("csrf", Browser.CSRF)
        .formParam("confirm", "someone-else")
        .post("/customers/mallory/erase")
        .then()
        .statusCode(400);
    assertThat(erased()).isEqualTo(before);
    Browser.as("admin")
        .formParam("confirm", "mallory")
        .post("/customers/mallory/erase")
        .then()
        .statusCode(403);
    Browser.as("admin")
        .formParam("csrf", Browser.CSRF)
        .formParam("confirm", "mallory")
        .post("/customers/mallory/erase")
        .then()
        .statusCode(200);
    assertThat(erased()).isEqualTo(before + 1);
  }
}
