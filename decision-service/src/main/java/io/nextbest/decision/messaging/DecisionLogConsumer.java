package io.nextbest.decision.messaging;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.RecordBatches;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.rest.Outages;
import io.nextbest.decision.repository.DecisionLogRepository;
import io.nextbest.decision.repository.DecisionLogRow;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Derives the decision log from the decisions topic, a batch per insert; replays are ignored by
 * decision id. What goes to {@code nextbest.decisions.v1.dlq} is only what is wrong with a record
 * itself — unreadable, or a value the database refuses for that record alone — with the reason in
 * its headers. A failure of the service's own (PostgreSQL down, a full heap, a timeout) never
 * dead-letters a valid decision: the batch is retried, and the offsets do not move past decisions
 * that are not logged.
 */
@ApplicationScoped
public class DecisionLogConsumer {
  private static final Logger LOG = Logger.getLogger(DecisionLogConsumer.class);

  /**
   * A decision logged alone, one at a time: only a value the database refuses is the record's own
   * fault; anything else (an outage, a timeout) is retried.
   */
  private final RecordBatches.OneByOne<Parsed> oneByOne =
      new RecordBatches.OneByOne<>(
          this::storeOne,
          d -> null,
          Parsed::payload,
          new RecordBatches.Faults(
              DecisionLogConsumer::refusedValue,
              f -> "the database refused the decision: " + describe(f)),
          1);

  private final DecisionLogRepository log;
  private final RecordBatches batches;

  public DecisionLogConsumer(DecisionLogRepository log, RecordBatches batches) {
    this.log = log;
    this.batches = batches;
  }

  /** A readable decision with the text it came in, for its dead letter. */
  private record Parsed(DecisionLogRow row, String payload) {}

  @Incoming("decision-log")
  public Uni<Void> onDecisions(List<String> payloads) {
    return batches
        .readAll(Topics.DECISIONS, payloads, DecisionLogConsumer::parse)
        .chain(this::store);
  }

  private static Parsed parse(String payload) {
    try {
      return new Parsed(DecisionLogRow.parse(payload), payload);
    } catch (DecisionLogRow.Unreadable e) {
      throw new JsonCodec.PoisonMessageException("unreadable decision: " + e.getMessage(), e);
    }
  }

  /**
   * The batch in one statement; if it fails other than by an outage, each decision alone, so one
   * record's bad value costs only that record.
   */
  private Uni<Void> store(List<Parsed> decisions) {
    return batches.wholeOrEach(
        Topics.DECISIONS,
        decisions,
        () ->
            Retries.whileOutage(log.logAll(decisions.stream().map(Parsed::row).toList()))
                .replaceWithVoid()
                .onFailure()
                .invoke(
                    f ->
                        LOG.warnf(
                            "a batch of %d decisions failed (%s): logging them one at a time",
                            decisions.size(), f.toString())),
        oneByOne);
  }

  private Uni<Void> storeOne(Parsed d) {
    return log.logAll(List.of(d.row())).replaceWithVoid();
  }

  /** PostgreSQL refused this record's own data (SQLSTATE class 22 or 23), not an outage. */
  static boolean refusedValue(Throwable f) {
    for (Throwable t = f; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PgException pg && pg.getSqlState() != null) {
        return pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23");
      }
    }
    return false;
  }

  private static String describe(Throwable f) {
    for (Throwable t = f; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PgException pg) {
        return "SQLSTATE " + pg.getSqlState() + " " + pg.getErrorMessage();
      }
    }
    return Outages.isOutage(f) ? "outage" : f.getClass().getSimpleName();
  }
}
