package io.nextbest.profile.service;

import io.nextbest.profile.domain.IncomingEvent;
import io.nextbest.profile.features.Currencies;
import io.nextbest.profile.features.EventFacts;
import io.nextbest.profile.segments.SegmentMemberships;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks one event of a batch; the first problem found is reported with its field. */
public final class EventValidator {
  static final Duration MAX_FUTURE_SKEW = Duration.ofDays(1);

  /** The earliest time an event may have happened: older ones are typing mistakes. */
  static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");

  private static final Pattern ID = Pattern.compile("[\\p{Alnum}._:@+\\-]{1,128}");
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

  private EventValidator() {}

  /**
   * The first problem of the event at {@code index}, or empty; a purchase or return in a currency
   * {@code currencies} cannot convert to the base is one.
   */
  public static Optional<IngestResult.Rejection> check(
      int index, IncomingEvent e, Instant now, Currencies currencies) {
    if (e == null) {
      return reject(index, "", "event must be an object");
    }
    if (e.eventId() == null || !ID.matcher(e.eventId()).matches()) {
      return reject(index, "eventId", "required: 1-128 letters, digits or ._:@+-");
    }
    if (e.customerId() == null || !ID.matcher(e.customerId()).matches()) {
      return reject(index, "customerId", "required: 1-128 letters, digits or ._:@+-");
    }
    if (e.type() == null || !TYPE.matcher(e.type()).matches()) {
      return reject(index, "type", "required: lower-case name such as view, search or purchase");
    }
    if (SegmentMemberships.isSegmentEvent(e.type())) {
      return reject(
          index,
          "type",
          "segment_entered and segment_exited are published by profile-service itself; name"
              + " your event otherwise");
    }
    if (e.occurredAt() != null && e.occurredAt().isAfter(now.plus(MAX_FUTURE_SKEW))) {
      return reject(index, "occurredAt", "more than one day in the future");
    }
    if (e.occurredAt() != null && e.occurredAt().isBefore(EARLIEST)) {
      return reject(index, "occurredAt", "before " + EARLIEST + "; send the time it happened");
    }
    var typed = EventSchemas.check(e.type(), e.properties());
    if (typed.isPresent()) {
      return reject(index, typed.get()[0], typed.get()[1]);
    }
    if (EventFacts.carriesAmount(e.type())
        && e.properties() != null
        && e.properties().get("currency") instanceof String currency
        && !currencies.accepts(currency)) {
      return reject(
          index,
          "properties.currency",
          "no conversion rate from "
              + currency
              + " to the base currency "
              + currencies.base()
              + ": send one of "
              + currencies.accepted()
              + " (rates: nextbest.currency.rates)");
    }
    return Optional.empty();
  }

  private static Optional<IngestResult.Rejection> reject(int index, String field, String reason) {
    return Optional.of(new IngestResult.Rejection(index, field, reason));
  }
}
