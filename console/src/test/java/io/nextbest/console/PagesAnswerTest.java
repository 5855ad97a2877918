package io.nextbest.console;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(FakeServices.class)
class PagesAnswerTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/overview",
        "/learning",
        "/content",
        "/content/7",
        "/segments",
        "/segments?members=vip",
        "/customers",
        "/campaigns/new",
        "/campaigns/evil",
        "/campaigns?status=paused"
      })
  void everyPageAnswersEvenWithServicesMissing(String page) {
    Browser.as("marketer").get(page).then().statusCode(200);
  }

  @Test
  void anExportRefusedByTheServiceIsAPageNotAnError() {
    Browser.as("admin").get("/customers/nobody/export").then().statusCode(404);
  }
}
