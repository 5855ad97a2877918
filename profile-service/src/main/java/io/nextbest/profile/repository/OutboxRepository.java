package io.nextbest.profile.repository;

import io.nextbest.profile.domain.OutboxMessage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The transactional outbox. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxMessage, Long> {

  /**
   * Locks the oldest pending messages. SKIP LOCKED lets several replicas relay side by side without
   * publishing a row twice; within one replica rows go out in id (= commit) order.
   */
  public Uni<List<OutboxMessage>> lockOldest(int limit) {
    return Panache.getSession()
        .chain(
            s ->
                s.createNativeQuery(
                        "select * from outbox order by id limit :limit for update skip locked",
                        OutboxMessage.class)
                    .setParameter("limit", limit)
                    .getResultList());
  }

  public Uni<Long> deleteIds(List<Long> ids) {
    return delete("id in ?1", ids);
  }
}
