package io.nextbest.profile.rest;

import io.nextbest.profile.domain.IncomingEvent;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A batch of events to ingest.
 *
 * @param events 1 to 1,000 events
 */
public record EventBatch(
    @NotEmpty(message = "must hold at least one event")
        @Size(max = EventBatch.MAX_EVENTS, message = "must hold at most 1000 events")
        List<IncomingEvent> events) {
  public static final int MAX_EVENTS = 1000;
}
