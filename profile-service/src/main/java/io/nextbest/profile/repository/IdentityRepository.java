package io.nextbest.profile.repository;

import io.nextbest.profile.domain.Identity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code identities} table: aliases merged into customers. */
@ApplicationScoped
public class IdentityRepository implements PanacheRepositoryBase<Identity, String> {

  /** The merged customer of one id, or the id itself. */
  public Uni<String> canonical(String id) {
    return findById(id).map(i -> i == null ? id : i.customerId);
  }

  /** The alias ids merged into the customer. */
  public Uni<List<String>> aliasesOf(String customerId) {
    return list("customerId", customerId).map(rows -> rows.stream().map(i -> i.aliasId).toList());
  }

  /**
   * Makes {@code aliasId}, and every alias merged into it before, resolve to {@code customerId}
   * from now on.
   */
  public Uni<Void> merge(String aliasId, String customerId) {
    Identity identity = new Identity();
    identity.aliasId = aliasId;
    identity.customerId = customerId;
    identity.mergedAt = Instant.now();
    return update("customerId = ?1 where customerId = ?2", customerId, aliasId)
        .chain(() -> persist(identity))
        .replaceWithVoid();
  }

  /** Removes the aliases of the customer (erasure). */
  public Uni<Long> deleteAliasesOf(String customerId) {
    return delete("customerId", customerId);
  }

  /**
   * The canonical customer of each id that was merged into another, on the caller's connection (ids
   * that are not aliases stay out of the map).
   */
  public Uni<Map<String, String>> aliases(SqlConnection conn, Set<String> ids) {
    return conn.preparedQuery(
            "select alias_id, customer_id from identities where alias_id = any($1::text[])")
        .execute(Tuple.of(ids.toArray(String[]::new)))
        .map(
            rows -> {
              Map<String, String> m = new HashMap<>();
              for (Row r : rows) {
                m.put(r.getString(0), r.getString(1));
              }
              return m;
            });
  }
}
