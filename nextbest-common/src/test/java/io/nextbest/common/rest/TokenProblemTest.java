package io.nextbest.common.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.security.AuthenticationFailedException;
import java.util.List;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.Test;

class TokenProblemTest {
  private static Throwable refused(Throwable cause) {
    return new AuthenticationFailedException(new RuntimeException("parse failed", cause));
  }

  private static InvalidJwtException invalid(int code, String message) {
    return new InvalidJwtException(
        message, List.of(new ErrorCodeValidator.Error(code, message)), null);
  }

  @Test
  void aTokenWithoutSubjectIsToldSo() {
    var noName =
        new InvalidJwtException(
            "SRJWT07001: No claim exists in sub, upn or preferred_username", List.of(), null);
    assertThat(ProblemMappers.tokenProblem(refused(noName)))
        .isEqualTo("it has no subject claim ('sub') naming the caller");
  }

  @Test
  void expiredWrongIssuerAndBadSignatureAreNamed() {
    assertThat(ProblemMappers.tokenProblem(refused(invalid(ErrorCodes.EXPIRED, "expired"))))
        .contains("expired");
    assertThat(ProblemMappers.tokenProblem(refused(invalid(ErrorCodes.ISSUER_INVALID, "iss"))))
        .contains("issuer");
    assertThat(ProblemMappers.tokenProblem(refused(invalid(ErrorCodes.SIGNATURE_INVALID, "sig"))))
        .contains("signature");
  }

  @Test
  void anUnknownFailureSaysNothingOfItsInternals() {
    assertThat(ProblemMappers.tokenProblem(new AuthenticationFailedException())).isNull();
    assertThat(ProblemMappers.tokenProblem(refused(new IllegalStateException("boom")))).isNull();
  }
}
