package io.nextbest.common.eligibility;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The customers' contact histories in Redis, as eligibility-service keeps them: a sorted set per
 * customer ({@value #PREFIX}{@code <id>}) scored by the send's time in epoch milliseconds, members
 * {@code <decision or "pg">|<campaign>|<channel>[|<time>]}, and the member {@value #MARKER} written
 * only when the set was rebuilt from PostgreSQL: a set without it (flushed, expired, evicted) is
 * not the whole history and must not be trusted for a frequency cap.
 */
public final class ContactSets {
  public static final String PREFIX = "nextbest:contacts:";
  public static final String MARKER = "~loaded";

  private ContactSets() {}

  /**
   * A customer's set as read.
   *
   * @param sends the sends, each once by campaign, channel and time
   * @param trusted the set carries the marker of a set rebuilt from PostgreSQL
   */
  public record Parsed(List<EligibilityEngine.Contact> sends, boolean trusted) {}

  /** The read of a customer's sends scored from {@code from} to {@code to} ({@code +inf}: all). */
  public static Request read(String customerId, Instant from, String to) {
    return Request.cmd(Command.ZRANGE)
        .arg(PREFIX + customerId)
        .arg(Long.toString(from.toEpochMilli()))
        .arg(to)
        .arg("BYSCORE")
        .arg("WITHSCORES");
  }

  /**
   * The sends of one sorted set. Scores come as a flat member/score list (RESP2) or as pairs
   * (RESP3); the same send may be present twice (recorded and rebuilt), so duplicates by campaign,
   * channel and time are dropped. A missing answer is an untrusted empty set.
   */
  public static Parsed parse(Response r) {
    List<EligibilityEngine.Contact> out = new ArrayList<>();
    if (r == null) {
      return new Parsed(List.of(), false);
    }
    boolean marked = false;
    // members come ordered by score: a send present twice has one score, so duplicates are looked
    // for only among the members of the same millisecond
    Set<String> sameTime = new HashSet<>();
    long previous = Long.MIN_VALUE;
    boolean pairs = r.size() > 0 && r.get(0).type() == ResponseType.MULTI;
    int step = pairs ? 1 : 2;
    for (int i = 0; i + step - 1 < r.size(); i += step) {
      String member = (pairs ? r.get(i).get(0) : r.get(i)).toString();
      String score = (pairs ? r.get(i).get(1) : r.get(i + 1)).toString();
      if (MARKER.equals(member)) {
        marked = true;
        continue;
      }
      String[] parts = member.split("\\|", -1);
      if (parts.length < 3) {
        continue;
      }
      double at = Double.parseDouble(score);
      if (!Double.isFinite(at)) {
        continue;
      }
      long millis = (long) at;
      if (millis != previous) {
        sameTime.clear();
        previous = millis;
      }
      if (sameTime.add(parts[1] + "|" + parts[2])) {
        out.add(new EligibilityEngine.Contact(parts[1], parts[2], Instant.ofEpochMilli(millis)));
      }
    }
    return new Parsed(List.copyOf(out), marked);
  }
}
