package io.nextbest.decision.messaging;

import io.nextbest.common.messaging.Retries;
import io.nextbest.decision.repository.DecisionLogRepository;
import io.nextbest.decision.repository.DecisionLogRow;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Derives the decision log from the decisions topic, a batch per insert; replays are ignored by
 * decision id. While PostgreSQL is down the batch is retried, so the offsets do not move past
 * decisions that are not logged.
 */
@ApplicationScoped
public class DecisionLogWriter {
  private static final Logger LOG = Logger.getLogger(DecisionLogWriter.class);
  private final DecisionLogRepository log;

  public DecisionLogWriter(DecisionLogRepository log) {
    this.log = log;
  }

  @Incoming("decision-log")
  public Uni<Void> onDecisions(List<String> payloads) {
    List<DecisionLogRow> decisions = new ArrayList<>(payloads.size());
    for (String p : payloads) {
      try {
        decisions.add(DecisionLogRow.parse(p));
      } catch (DecisionLogRow.Unreadable e) {
        LOG.warnf("unreadable decision record skipped: %s", e.getMessage());
      }
    }
    return Retries.whileOutage(log.logAll(decisions)).replaceWithVoid();
  }
}
