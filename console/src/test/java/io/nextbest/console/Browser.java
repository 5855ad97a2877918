package io.nextbest.console;

import static io.restassured.RestAssured.given;

import io.nextbest.common.testing.TestJwt;
import io.restassured.specification.RequestSpecification;

/** A browser with a session of the given roles and a CSRF cookie ({@link #CSRF}). */
final class Browser {
  static final String CSRF = "c".repeat(43);

  private Browser() {}

  static RequestSpecification as(String... roles) {
    return given()
        .auth()
        .none()
        .redirects()
        .follow(false)
        .cookie("nextbest_session", TestJwt.token(roles))
        .cookie("nextbest_csrf", CSRF);
  }
}
