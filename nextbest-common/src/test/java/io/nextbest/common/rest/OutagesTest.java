package io.nextbest.common.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.CompositeException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutagesTest {
  @Test
  void aLostConnectionIsAnOutageAloneWrappedOrAmongABatchsFailures() {
    var lost = ClosedConnectionException.INSTANCE;
    assertThat(Outages.isOutage(lost)).isTrue();
    assertThat(Outages.isOutage(new IllegalStateException("insert failed", lost))).isTrue();
    assertThat(Outages.isOutage(new CompositeException(List.of(lost, lost)))).isTrue();
    assertThat(
            Outages.isOutage(
                new CompositeException(
                    List.of(new IllegalArgumentException("bad row"), new ConnectException("x")))))
        .isTrue();
  }

  @Test
  void aBadRequestIsNot() {
    assertThat(Outages.isOutage(new IllegalArgumentException("amount must be positive"))).isFalse();
    assertThat(
            Outages.isOutage(
                new CompositeException(
                    List.of(new IllegalArgumentException("a"), new IllegalStateException("b")))))
        .isFalse();
  }
}
