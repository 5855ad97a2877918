package io.nextbest.decision.rest;

import io.nextbest.common.messaging.JsonCodec;
import io.nextbest.common.messaging.KeyedMessages;
import io.nextbest.common.rest.BackingServiceUnavailableException;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.common.rest.Problem;
import io.nextbest.decision.learning.ValueCeiling;
import io.nextbest.decision.repository.DecisionLogRepository;
import io.nextbest.decision.repository.OutcomeRepository;
import io.nextbest.events.Outcome;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Outcomes of decisions, published on {@code nextbest.outcomes.v1} (the record of truth, which this
 * service also consumes into its outcome history). Duplicates by id are harmless.
 */
@Path("/api/v1/outcomes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OutcomeResource {
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);

  /**
   * One outcome.
   *
   * @param id client outcome id (idempotency key)
   * @param type impression, open, click, conversion, unsubscribe or dismiss (no reward)
   * @param customerId the customer
   * @param decisionId the decision it belongs to
   * @param value monetary value of a conversion
   * @param occurredAt when it happened (now when absent)
   * @param orderId the order a conversion is: reported again as a purchase event (or twice as an
   *     outcome) it counts once
   */
  public record OutcomeInput(
      @NotBlank @Size(max = 200) String id,
      @NotBlank String type,
      @NotBlank @Size(max = 200) String customerId,
      @NotBlank @Size(max = 300) String decisionId,
      @PositiveOrZero Double value,
      Instant occurredAt,
      @Size(max = 200) String orderId) {}

  /**
   * Outcomes to record.
   *
   * @param outcomes up to 1,000 outcomes
   */
  public record OutcomeBatch(
      @NotNull @Size(min = 1, max = 1000) List<@Valid @NotNull OutcomeInput> outcomes) {}

  /**
   * Accepted outcomes.
   *
   * @param accepted how many were published
   */
  public record Accepted(int accepted) {}

  private final MutinyEmitter<String> outcomes;
  private final JsonCodec json;
  private final ValueCeiling ceiling;
  private final DecisionLogRepository decisionLog;

  public OutcomeResource(
      @Channel("outcomes-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
          MutinyEmitter<String> outcomes,
      JsonCodec json,
      ValueCeiling ceiling,
      DecisionLogRepository decisionLog) {
    this.outcomes = outcomes;
    this.json = json;
    this.ceiling = ceiling;
    this.decisionLog = decisionLog;
  }

  @POST
  @Operation(
      summary = "Record outcomes of decisions (impression, open, click, conversion, unsubscribe)")
  public Uni<Accepted> record(@Valid @NotNull OutcomeBatch batch) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < batch.outcomes().size(); i++) {
      OutcomeInput o = batch.outcomes().get(i);
      if (!OutcomeRepository.TYPES.contains(o.type())) {
        errors.add(
            new Problem.FieldError(
                "outcomes[" + i + "].type",
                "unknown outcome type '" + o.type() + "'; use one of " + OutcomeRepository.TYPES));
      }
      if (o.occurredAt() != null && o.occurredAt().isAfter(now.plus(Duration.ofDays(1)))) {
        errors.add(
            new Problem.FieldError(
                "outcomes[" + i + "].occurredAt", "more than a day in the future"));
      }
      double ceiling = this.ceiling.current();
      if (o.value() != null && !(Double.isFinite(o.value()) && o.value() <= ceiling)) {
        errors.add(
            new Problem.FieldError(
                "outcomes[" + i + "].value",
                String.format(
                    java.util.Locale.ROOT,
                    "must be a finite amount from 0 to %.2f (this installation's ceiling)",
                    ceiling)));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException("Some outcomes are not valid; nothing was recorded.", errors);
    }
    return owners(batch)
        .chain(
            owners -> {
              List<Problem.FieldError> foreign = new ArrayList<>();
              for (int i = 0; i < batch.outcomes().size(); i++) {
                OutcomeInput o = batch.outcomes().get(i);
                String owner = owners.get(o.decisionId());
                if (owner != null && !owner.equals(o.customerId())) {
                  foreign.add(
                      new Problem.FieldError(
                          "outcomes[" + i + "].decisionId",
                          "decision '" + o.decisionId() + "' is not this customer's"));
                }
              }
              if (!foreign.isEmpty()) {
                throw new InvalidInputException(
                    "Some outcomes name another customer's decision; nothing was recorded.",
                    foreign);
              }
              return publish(batch, now);
            });
  }

  /**
   * The customer of every logged decision the batch names. A decision not logged yet (its record
   * still on its way) is not in the answer; the learner joins outcomes to decisions only when their
   * customers agree.
   */
  private Uni<Map<String, String>> owners(OutcomeBatch batch) {
    String[] ids =
        batch.outcomes().stream().map(OutcomeInput::decisionId).distinct().toArray(String[]::new);
    return decisionLog
        .customersOf(ids)
        .onFailure()
        .transform(f -> new BackingServiceUnavailableException("postgresql", f));
  }

  private Uni<Accepted> publish(OutcomeBatch batch, Instant now) {
    List<Uni<Void>> sends = new ArrayList<>();
    for (OutcomeInput o : batch.outcomes()) {
      Outcome outcome =
          new Outcome(
              o.id(),
              o.type(),
              o.customerId(),
              o.occurredAt() == null ? now : o.occurredAt(),
              o.decisionId(),
              o.value(),
              null,
              o.orderId() == null || o.orderId().isBlank() ? null : o.orderId());
      sends.add(outcomes.sendMessage(KeyedMessages.keyed(o.customerId(), json.write(outcome))));
    }
    return Uni.join()
        .all(sends)
        .andFailFast()
        .ifNoItem()
        .after(PUBLISH_TIMEOUT)
        .fail()
        .onFailure()
        .transform(f -> new BackingServiceUnavailableException("kafka", f))
        .replaceWith(new Accepted(sends.size()));
  }
}
