package io.nextbest.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import io.nextbest.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestJwt.class)
@QuarkusTestResource(FakeServices.class)
class SignInTest {

  @Test
  void signInKeepsTheTokenInAnHttpOnlyStrictCookie() {
    Response r =
        given()
            .auth()
            .none()
            .redirects()
            .follow(false)
            .cookie("nextbest_csrf", Browser.CSRF)
            .formParam("csrf", Browser.CSRF)
            .formParam("token", TestJwt.token("marketer"))
            .post("/sign-in");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.header("Location")).endsWith("/overview");
    String cookie =
        r.headers().getValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("nextbest_session="))
            .findFirst()
            .orElseThrow();
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
  }

  @Test
  void signInPageSetsAStrictHttpOnlyCsrfCookieAndPutsItInTheForm() {
    Response r = given().auth().none().get("/sign-in");
    assertThat(r.statusCode()).isEqualTo(200);
    String cookie = r.header("Set-Cookie");
    assertThat(cookie)
        .startsWith("nextbest_csrf=")
        .contains("HttpOnly")
        .contains("SameSite=Strict");
    String value = cookie.substring("nextbest_csrf=".length(), cookie.indexOf(';'));
    assertThat(r.body().asString()).contains("name=\"csrf\" value=\"" + value + "\"");
  }

  @Test
  void refusesASignInFormWithoutTheCsrfToken() {
    given()
        .auth()
        .none()
        .cookie("nextbest_csrf", Browser.CSRF)
        .formParam("token", TestJwt.token("marketer"))
        .post("/sign-in")
        .then()
        .statusCode(403)
        .body(containsString("Form refused"));
  }

  @Test
  void refusesATokenWithoutAConsoleRoleOrAForgedOne() {
    given()
        .auth()
        .none()
        .cookie("nextbest_csrf", Browser.CSRF)
        .formParam("csrf", Browser.CSRF)
        .formParam("token", TestJwt.token("events:write"))
        .post("/sign-in")
        .then()
        .statusCode(400)
        .body(containsString("neither the marketer nor the admin role"));
    given()
        .auth()
        .none()
        .cookie("nextbest_csrf", Browser.CSRF)
        .formParam("csrf", Browser.CSRF)
        .formParam("token", "eyJhbGciOiJub25lIn0.eyJncm91cHMiOlsiYWRtaW4iXX0.")
        .post("/sign-in")
        .then()
        .statusCode(400)
        .body(containsString("was refused"));
  }

  @Test
  void pagesSendAPersonWithoutASessionToSignIn() {
    given()
        .auth()
        .none()
        .redirects()
        .follow(false)
        .get("/campaigns")
        .then()
        .statusCode(303)
        .header("Location", endsWith("/sign-in"));
  }

  @Test
  void signOutNeedsTheCsrfTokenAndClearsTheSession() {
    Browser.as("marketer").post("/sign-out").then().statusCode(403);
    Response r = Browser.as("marketer").formParam("csrf", Browser.CSRF).post("/sign-out");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().getValues("Set-Cookie"))
        .anyMatch(c -> c.startsWith("nextbest_session=;") && c.contains("Max-Age=0"));
  }
}
