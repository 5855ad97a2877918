package io.nextbest.decision.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the context keys and traits the feature schema could not use (nested values, or undeclared
 * keys when hashing is off): never an error, but visible in {@code GET /api/v1/features} and the
 * metric {@code nextbest_decision_context_keys_ignored_total}. At most {@value #MAX_KEYS} distinct
 * keys are named; the rest are counted under {@code (other)}.
 */
@ApplicationScoped
public class ContextKeys {
  static final int MAX_KEYS = 1_000;
  static final String OTHER = "(other)";

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final io.micrometer.core.instrument.Counter total;

  public ContextKeys(MeterRegistry registry) {
    this.total =
        io.micrometer.core.instrument.Counter.builder("nextbest.decision.context.keys.ignored")
            .description("context keys and traits a decision could not use")
            .register(registry);
  }

  /** Counts keys a decision ignored. */
  public void ignored(List<String> keys) {
    for (String k : keys) {
      String key = counts.size() < MAX_KEYS || counts.containsKey(k) ? k : OTHER;
      counts.computeIfAbsent(key, x -> new LongAdder()).increment();
      total.increment();
    }
  }

  /** Ignored keys with how often each was seen since the start of this replica. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
