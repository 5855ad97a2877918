package io.nextbest.common.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.BulkType;
import io.vertx.redis.client.impl.types.MultiType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContactSetsTest {
  /** A ZRANGE … WITHSCORES answer in RESP2's flat form: member, score, member, score, … */
  private static Response flat(String... memberScore) {
    MultiType multi = MultiType.create(memberScore.length, false);
    for (String s : memberScore) {
      multi.add(BulkType.create(Buffer.buffer(s), false));
    }
    return Response.newInstance(multi);
  }

  /** The same answer in RESP3's form: one [member, score] pair per send. */
  private static Response pairs(String... memberScore) {
    MultiType multi = MultiType.create(memberScore.length / 2, false);
    for (int i = 0; i < memberScore.length; i += 2) {
      MultiType pair = MultiType.create(2, false);
      pair.add(BulkType.create(Buffer.buffer(memberScore[i]), false));
      pair.add(BulkType.create(Buffer.buffer(memberScore[i + 1]), false));
      multi.add(pair);
    }
    return Response.newInstance(multi);
  }

  @Test
  void aRebuiltSetIsTrustedAndEachSendCountsOnce() {
    String[] set = {
      "pg|spring|email|1764928800000",
      "1764928800000",
      "d:1|spring|email",
      "1764928800000",
      "d:2|spring|web",
      "1764928800000",
      "d:3|summer|email",
      "1764932400000",
      ContactSets.MARKER,
      "inf"
    };
    for (Response r : new Response[] {flat(set), pairs(set)}) {
      ContactSets.Parsed parsed = ContactSets.parse(r);

      assertThat(parsed.trusted()).isTrue();
      assertThat(parsed.sends())
          .containsExactly(
              new EligibilityEngine.Contact(
                  "spring", "email", Instant.ofEpochMilli(1764928800000L)),
              new EligibilityEngine.Contact("spring", "web", Instant.ofEpochMilli(1764928800000L)),
              new EligibilityEngine.Contact(
                  "summer", "email", Instant.ofEpochMilli(1764932400000L)));
    }
  }

  @Test
  void aSetWithoutTheMarkerIsNotTheWholeHistory() {
    assertThat(ContactSets.parse(flat("d:1|spring|email", "1764928800000")).trusted()).isFalse();
    assertThat(ContactSets.parse(null).trusted()).isFalse();
    assertThat(ContactSets.parse(null).sends()).isEmpty();
  }
}
