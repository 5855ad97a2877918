package io.nextbest.profile.repository;

import io.nextbest.profile.domain.Identity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Aliases merged into customers. */
@ApplicationScoped
public class IdentityRepository implements PanacheRepositoryBase<Identity, String> {

  /** The merged customer of each id that is an alias (ids that are not stay out of the map). */
  public Uni<Map<String, String>> resolve(Collection<String> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return list("aliasId in ?1", ids)
        .map(
            rows -> {
              Map<String, String> m = new HashMap<>();
              rows.forEach(r -> m.put(r.aliasId, r.customerId));
              return m;
            });
  }

  /** The merged customer of one id, or the id itself. */
  public Uni<String> canonical(String id) {
    return findById(id).map(i -> i == null ? id : i.customerId);
  }
}
