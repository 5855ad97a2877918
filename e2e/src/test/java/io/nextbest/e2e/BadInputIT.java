package io.nextbest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.common.testing.TestJwt;
import io.nextbest.tools.common.BadInputCommand;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile requests against every operation of the four running services (as listed in
 * their OpenAPI documents): no 5xx, every error an RFC 9457 problem that says what to fix, and no
 * answer leaking Java internals or file contents.
 */
class BadInputIT extends RunningSystem {

  @Test
  void everyEndpointAnswersBadInputWithAProblemAndNeverA5xx() throws Exception {
    BadInputCommand.Report report =
        new BadInputCommand(TestJwt.token("admin", "marketer"), NextBestSystem.SITE_KEY)
            .run(
                List.of(
                    system.url("profile"),
                    system.url("eligibility"),
                    system.url("decision"),
                    system.url("content")));

    System.out.printf(
        "bad input: %d operations, %d requests, statuses %s%n",
        report.operations(), report.requests(), report.statuses());
    System.out.println("slowest operations: " + report.slowest(10));
    report.violations().stream().limit(80).forEach(v -> System.out.println("violation: " + v));
    assertThat(report.operations())
        .as("operations found in the OpenAPI documents")
        .isGreaterThan(40);
    assertThat(report.requests()).isGreaterThan(report.operations() * 10);
    assertThat(report.statuses().keySet()).allMatch(s -> s < 500);
    assertThat(report.violations()).isEmpty();
  }
}
