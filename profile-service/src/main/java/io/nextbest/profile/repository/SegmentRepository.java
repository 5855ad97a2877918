package io.nextbest.profile.repository;

import io.nextbest.profile.domain.Segment;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The {@code segments} table: rule segments and the five fitted marketing segments. */
@ApplicationScoped
public class SegmentRepository implements PanacheRepositoryBase<Segment, String> {

  /** Every segment, rule segments first, each kind by id. */
  public Uni<List<Segment>> listInOrder() {
    return list("order by kind desc, id");
  }

  /** The rule segments. */
  public Uni<List<Segment>> rules() {
    return list("kind", Segment.RULE);
  }

  /** How many rule segments there are. */
  public Uni<Long> countRules() {
    return count("kind", Segment.RULE);
  }
}
