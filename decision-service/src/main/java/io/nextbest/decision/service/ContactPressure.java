package io.nextbest.decision.service;

import io.nextbest.common.eligibility.ContactSets;
import io.nextbest.models.policy.FeatureEncoder.Send;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The customers' recent sends, for the contact-pressure features: eligibility-service keeps every
 * customer's contact history in a Redis sorted set ({@code nextbest:contacts:<id>}, scored by the
 * send's time, members {@code <decision or "pg">|<campaign>|<channel>[|<time>]}), written from the
 * decisions topic. One pipeline reads the sends of a whole batch up to each moment; when Redis is
 * down the sends are unknown (null) and the features say so by being zero.
 */
@ApplicationScoped
public class ContactPressure {
  static final String PREFIX = ContactSets.PREFIX;

  /** How far back sends count (open and click rates use them all). */
  static final Duration LOOKBACK = Duration.ofDays(366);

  private final ReactiveRedisDataSource redis;

  public ContactPressure(ReactiveRedisDataSource redis) {
    this.redis = redis;
  }

  /** One customer's sends before {@code at}, or null when they cannot be read. */
  public Uni<List<Send>> before(String customerId, Instant at) {
    return before(List.of(customerId), List.of(at)).map(m -> m.get(customerId));
  }

  /**
   * Sends of many customers, each before its own moment; customers whose sends cannot be read are
   * missing from the answer.
   */
  public Uni<Map<String, List<Send>>> before(List<String> customerIds, List<Instant> moments) {
    if (customerIds.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    List<Request> reads = new ArrayList<>(customerIds.size());
    for (int i = 0; i < customerIds.size(); i++) {
      Instant at = moments.get(i);
      reads.add(
          Request.cmd(Command.ZRANGE)
              .arg(PREFIX + customerIds.get(i))
              .arg(Long.toString(at.minus(LOOKBACK).toEpochMilli()))
              .arg(Long.toString(at.toEpochMilli()))
              .arg("BYSCORE")
              .arg("WITHSCORES"));
    }
    return redis
        .getRedis()
        .batch(reads)
        .map(
            responses -> {
              Map<String, List<Send>> out = new HashMap<>();
              for (int i = 0; i < customerIds.size(); i++) {
                out.put(customerIds.get(i), parse(responses.get(i)));
              }
              return out;
            })
        .onFailure()
        .recoverWithItem(Map.of());
  }

  /**
   * The sends of one sorted set. Scores come as a flat member/score list (RESP2) or as pairs
   * (RESP3); the same send may be present twice (recorded and rebuilt), so duplicates by campaign,
   * channel and time are dropped.
   */
  static List<Send> parse(Response r) {
    List<Send> out = new ArrayList<>();
    for (var c : ContactSets.parse(r).sends()) {
      out.add(new Send(c.campaignId(), c.channel(), c.sentAt()));
    }
    return out;
  }
}
