package io.nextbest.profile.segments;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.common.rules.ProfileRules;
import io.nextbest.events.ProfileSnapshot;
import io.nextbest.models.segments.ClusterModel;
import io.nextbest.profile.domain.Segment;
import io.nextbest.profile.domain.SegmentModelRow;
import io.nextbest.profile.repository.SegmentModelRepository;
import io.nextbest.profile.repository.SegmentRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The segments in force, held in memory so every profile change evaluates them without a query: the
 * compiled CEL rules and the newest cluster model. Reloaded after local changes and on a schedule
 * (another replica may have changed them).
 */
@ApplicationScoped
public class SegmentCatalog {
  private static final Logger LOG = Logger.getLogger(SegmentCatalog.class);

  /** A rule segment, compiled. */
  public record RuleSegment(String id, ProfileRules.Rule rule) {}

  record State(List<RuleSegment> rules, ClusterModel clusters) {}

  private final AtomicReference<State> state = new AtomicReference<>(new State(List.of(), null));
  private final ObjectMapper mapper;
  private final SegmentRepository definitions;
  private final SegmentModelRepository models;

  public SegmentCatalog(
      ObjectMapper mapper, SegmentRepository definitions, SegmentModelRepository models) {
    this.mapper = mapper;
    this.definitions = definitions;
    this.models = models;
  }

  /** The segment ids a profile belongs to now, sorted. Rules see the profile's last memberships. */
  public List<String> membership(ProfileSnapshot profile) {
    State s = state.get();
    TreeSet<String> ids = new TreeSet<>();
    if (s.clusters() != null) {
      String cluster = s.clusters().assign(profile);
      if (cluster != null) {
        ids.add(cluster);
      }
    }
    if (!s.rules().isEmpty()) {
      Map<String, Object> variables = ProfileRules.variables(profile);
      for (RuleSegment r : s.rules()) {
        if (r.rule().test(variables)) {
          ids.add(r.id());
        }
      }
    }
    return List.copyOf(ids);
  }

  public ClusterModel clusters() {
    return state.get().clusters();
  }

  void useClusters(ClusterModel model) {
    state.updateAndGet(s -> new State(s.rules(), model));
  }

  /** Reloads the rule segments and the newest cluster model. */
  @WithSession
  public Uni<Void> refresh() {
    return definitions
        .rules()
        .chain(
            rows ->
                models
                    .newest()
                    .map(
                        model -> {
                          List<RuleSegment> rules = new ArrayList<>();
                          for (Segment s : rows) {
                            try {
                              rules.add(
                                  new RuleSegment(s.id, ProfileRules.compile("rule", s.rule)));
                            } catch (RuntimeException e) {
                              LOG.warnf("segment %s has a rule that no longer compiles", s.id);
                            }
                          }
                          ClusterModel current = state.get().clusters();
                          ClusterModel clusters =
                              model == null
                                  ? null
                                  : current != null && current.version() == model.version
                                      ? current
                                      : read(model);
                          state.set(new State(List.copyOf(rules), clusters));
                          return null;
                        }));
  }

  @Scheduled(
      every = "${nextbest.segments.refresh-interval}",
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> follow() {
    return refresh().onFailure().recoverWithNull();
  }

  ClusterModel read(SegmentModelRow row) {
    try {
      return mapper
          .readValue(row.model, ClusterModel.class)
          .stored(row.version, row.fittedAt, row.customers);
    } catch (Exception e) {
      throw new IllegalStateException("unreadable segment model " + row.version, e);
    }
  }

  String write(ClusterModel model) {
    try {
      return mapper.writeValueAsString(model);
    } catch (Exception e) {
      throw new IllegalStateException("cannot store the segment model", e);
    }
  }
}
