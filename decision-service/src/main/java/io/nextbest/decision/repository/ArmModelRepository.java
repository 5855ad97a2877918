package io.nextbest.decision.repository;

import io.nextbest.models.policy.LinearArm;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The arm statistics of the model ({@code arm_models}), one row per arm and feature encoder. */
@ApplicationScoped
public class ArmModelRepository {
  private final Pool pool;

  public ArmModelRepository(Pool pool) {
    this.pool = pool;
  }

  /** The arms learned with {@code encoder}, by arm id. */
  public Uni<Map<String, LinearArm>> byEncoder(String encoder) {
    return byEncoder(pool, encoder);
  }

  /** The arms learned with {@code encoder}, by arm id, read inside the caller's transaction. */
  public Uni<Map<String, LinearArm>> byEncoder(SqlClient client, String encoder) {
    return client
        .preparedQuery("select arm_id, stats from arm_models where encoder = $1")
        .execute(Tuple.of(encoder))
        .map(
            rows -> {
              Map<String, LinearArm> arms = new HashMap<>();
              for (Row row : rows) {
                arms.put(row.getString(0), LinearArm.fromBytes(row.getBuffer(1).getBytes()));
              }
              return arms;
            });
  }

  /**
   * How many of the actions' own arms ("none" and the campaigns; not the pools, the base or the
   * journey arms) learned with {@code encoder} learned something in the last {@code days} days and
   * have learned at least {@code minDecisions} decisions in all: the actions in use, whatever
   * retired campaigns left behind and however many campaigns sent a handful of times. The count is
   * read from the stored statistics (a big-endian long after the dimension, see {@link
   * LinearArm#toBytes()}).
   */
  public Uni<Long> actionsLearnedWithin(String encoder, int days, long minDecisions) {
    return pool.preparedQuery(
            "select count(*) from arm_models where encoder = $1 and updated_at > now() -"
                + " make_interval(days => $2) and arm_id <> 'base' and arm_id not like 'attr:%'"
                + " and arm_id not like 'long:%' and length(stats) >= 12"
                + " and ('x' || encode(substring(stats from 5 for 8), 'hex'))::bit(64)::bigint"
                + " >= $3")
        .execute(Tuple.of(encoder, days, minDecisions))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Stores the arms (each replacing its row) in the caller's transaction. */
  public Uni<Void> saveAll(SqlConnection conn, String encoder, Map<String, LinearArm> arms) {
    List<Tuple> batch = new ArrayList<>();
    arms.forEach((id, arm) -> batch.add(Tuple.of(id, encoder, Buffer.buffer(arm.toBytes()))));
    if (batch.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return conn.preparedQuery(
            "insert into arm_models (arm_id, encoder, stats, updated_at) values ($1, $2, $3, now())"
                + " on conflict (arm_id) do update set encoder = excluded.encoder,"
                + " stats = excluded.stats, updated_at = now()")
        .executeBatch(batch)
        .replaceWithVoid();
  }
}
