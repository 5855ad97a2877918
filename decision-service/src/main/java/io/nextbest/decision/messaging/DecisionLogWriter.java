package io.nextbest.decision.messaging;

import io.nextbest.common.messaging.DeadLetterQueue;
import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.Retries;
import io.nextbest.common.rest.Outages;
import io.nextbest.decision.repository.DecisionLogRepository;
import io.nextbest.decision.repository.DecisionLogRow;
import io.nextbest.events.Topics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
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
public class DecisionLogWriter {
  private static final Logger LOG = Logger.getLogger(DecisionLogWriter.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final DecisionLogRepository log;
  private final DeadLetterQueue deadLetters;

  public DecisionLogWriter(DecisionLogRepository log, DeadLetterQueue deadLetters) {
    this.log = log;
    this.deadLetters = deadLetters;
  }

  /** A readable decision with the text it came in, for its dead letter. */
  private record Parsed(DecisionLogRow row, String payload) {}

  @Incoming("decision-log")
  public Uni<Void> onDecisions(List<String> payloads) {
    return deadLetters
        .readAll(Topics.DECISIONS, payloads, DecisionLogWriter::parse)
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
    if (decisions.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Retries.whileOutage(log.logAll(decisions.stream().map(Parsed::row).toList()))
        .replaceWithVoid()
        .onFailure()
        .recoverWithUni(
            f -> {
              LOG.warnf(
                  "a batch of %d decisions failed (%s): logging them one at a time",
                  decisions.size(), f.toString());
              return Multi.createFrom()
                  .iterable(decisions)
                  .onItem()
                  .transformToUniAndConcatenate(this::storeOne)
                  .collect()
                  .last()
                  .replaceWithVoid();
            });
  }

  private Uni<Void> storeOne(Parsed d) {
    return Uni.createFrom()
        .deferred(() -> log.logAll(List.of(d.row())))
        .replaceWithVoid()
        .onFailure(f -> !refusedValue(f))
        .retry()
        .withBackOff(FIRST_BACKOFF, MAX_BACKOFF)
        .atMost(720)
        .onFailure(DecisionLogWriter::refusedValue)
        .recoverWithUni(
            f -> deadLetter(d.payload(), "the database refused the decision: " + describe(f)));
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

  private Uni<Void> deadLetter(String payload, String reason) {
    return deadLetters.send(Topics.DECISIONS, null, payload, reason);
  }
}
