package io.nextbest.profile.segments;

import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.common.rules.ProfileRules;
import io.nextbest.models.segments.ClusterModel;
import io.nextbest.profile.config.SegmentConfig;
import io.nextbest.profile.domain.Segment;
import io.nextbest.profile.repository.SegmentMemberRepository;
import io.nextbest.profile.repository.SegmentRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Segment definitions and their members. */
@ApplicationScoped
public class SegmentService {
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final SegmentCatalog catalog;
  private final SegmentReevaluation reevaluation;
  private final SegmentRepository definitions;
  private final SegmentMemberRepository members;
  private volatile int maxRules;

  public SegmentService(
      SegmentCatalog catalog,
      SegmentReevaluation reevaluation,
      SegmentRepository definitions,
      SegmentMemberRepository members,
      SegmentConfig config) {
    this.definitions = definitions;
    this.members = members;
    this.catalog = catalog;
    this.reevaluation = reevaluation;
    this.maxRules = config.maxRules();
  }

  /**
   * A segment with its member count; for a cluster segment, its typical member (the medians of its
   * members in the fit) and the cluster model and moment these come from, and its members those the
   * current model assigned: while a re-evaluation with a new model runs, only the customers it has
   * seen. {@code reevaluation} is its progress (null when none runs).
   */
  public record SegmentView(
      String id,
      String name,
      String description,
      String kind,
      String rule,
      long members,
      Map<String, Double> typical,
      Instant createdAt,
      Instant updatedAt,
      Long modelVersion,
      Instant modelAsOf,
      SegmentReevaluation.Progress reevaluation) {}

  /** One page of members, in customer id order; {@code next} is the cursor of the next page. */
  public record MemberPage(
      String segmentId, long total, List<Member> members, String next, boolean reevaluating) {}

  public record Member(String customerId, Instant enteredAt) {}

  @WithSession
  public Uni<List<SegmentView>> list() {
    ClusterModel model = catalog.clusters();
    SegmentReevaluation.Progress progress = reevaluation.progress();
    boolean catchingUp = reevaluation.clustersCatchingUp(model == null ? null : model.version());
    return definitions
        .listInOrder()
        .chain(
            segments ->
                counts()
                    .chain(
                        counts ->
                            (catchingUp
                                    ? progress.lastCustomerId() == null
                                        ? Uni.createFrom().item(Map.<String, Long>of())
                                        : members.countsUpTo(progress.lastCustomerId())
                                    : Uni.createFrom().item(counts))
                                .map(
                                    current ->
                                        segments.stream()
                                            .map(
                                                s ->
                                                    view(
                                                        s,
                                                        Segment.CLUSTER.equals(s.kind)
                                                            ? current
                                                            : counts))
                                            .toList())));
  }

  @WithSession
  public Uni<SegmentView> get(String id) {
    return definitions
        .findById(id)
        .onItem()
        .ifNull()
        .failWith(() -> notFound(id))
        .chain(s -> counts().map(counts -> view(s, counts)));
  }

  /** Changes the most rule segments (tests, or an operator through a config reload). */
  public void maxRules(int limit) {
    this.maxRules = limit;
  }

  /** Creates a rule segment and starts evaluating it for every customer. */
  public Uni<SegmentView> create(String id, String name, String description, String rule) {
    String segmentId = id == null || id.isBlank() ? slug(name) : id;
    if (!ID.matcher(segmentId).matches()) {
      throw new InvalidInputException(
          "id", "must be 1-63 lower-case letters, digits or '-', starting with a letter or digit");
    }
    ProfileRules.compile("rule", rule);
    return Panache.withTransaction(
            () ->
                definitions
                    .findById(segmentId)
                    .chain(
                        existing -> {
                          if (existing != null) {
                            throw new ClientErrorException(
                                "Segment '" + segmentId + "' already exists; PUT it to change it.",
                                409);
                          }
                          return definitions.countRules();
                        })
                    .chain(
                        rules -> {
                          if (rules >= maxRules) {
                            throw new ClientErrorException(
                                "There are "
                                    + rules
                                    + " rule segments, the most this service holds"
                                    + " (nextbest.segments.max-rules); delete one first.",
                                409);
                          }
                          Segment s = new Segment();
                          s.id = segmentId;
                          s.kind = Segment.RULE;
                          s.name = name;
                          s.description = description;
                          s.rule = rule;
                          s.createdAt = Instant.now();
                          s.updatedAt = s.createdAt;
                          return definitions.persist(s);
                        }))
        .call(this::changed)
        .map(s -> view(s, Map.of()));
  }

  /** Changes a rule segment's name, description or rule and re-evaluates every customer. */
  public Uni<SegmentView> update(String id, String name, String description, String rule) {
    ProfileRules.compile("rule", rule);
    return Panache.withTransaction(
            () ->
                definitions
                    .findById(id)
                    .onItem()
                    .ifNull()
                    .failWith(() -> notFound(id))
                    .map(
                        s -> {
                          requireRule(s);
                          s.name = name;
                          s.description = description;
                          s.rule = rule;
                          s.updatedAt = Instant.now();
                          return s;
                        }))
        .call(this::changed)
        .chain(s -> get(s.id));
  }

  /** Deletes a rule segment; its members leave it (with segment_exited events). */
  public Uni<Void> delete(String id) {
    return Panache.withTransaction(
            () ->
                definitions
                    .findById(id)
                    .onItem()
                    .ifNull()
                    .failWith(() -> notFound(id))
                    .call(
                        s -> {
                          requireRule(s);
                          return definitions.delete(s);
                        }))
        .call(this::changed)
        .replaceWithVoid();
  }

  @WithSession
  public Uni<MemberPage> members(String id, String after, int limit) {
    return definitions
        .findById(id)
        .onItem()
        .ifNull()
        .failWith(() -> notFound(id))
        .chain(
            s ->
                members
                    .page(id, after, limit)
                    .chain(
                        page ->
                            members
                                .count(id)
                                .map(
                                    total -> {
                                      List<Member> list =
                                          page.stream()
                                              .map(m -> new Member(m.customerId(), m.enteredAt()))
                                              .toList();
                                      String next =
                                          list.size() < limit
                                              ? null
                                              : list.get(list.size() - 1).customerId();
                                      return new MemberPage(
                                          id, total, list, next, reevaluation.busy());
                                    })));
  }

  private Uni<Void> changed(Segment ignored) {
    return catalog.refresh().invoke(reevaluation::requestAll);
  }

  private Uni<Map<String, Long>> counts() {
    return members.counts();
  }

  private SegmentView view(Segment s, Map<String, Long> counts) {
    Map<String, Double> typical = null;
    ClusterModel model = catalog.clusters();
    if (Segment.CLUSTER.equals(s.kind) && model != null && model.typical().containsKey(s.id)) {
      typical = model.typical().get(s.id);
    } else if (Segment.CLUSTER.equals(s.kind) && model != null) {
      // a model stored before typical members were: the centre of the segment's largest cluster
      typical =
          model.centroids().stream()
              .filter(c -> c.segment().equals(s.id))
              .max(Comparator.comparingLong(ClusterModel.Centroid::size))
              .map(ClusterModel.Centroid::typical)
              .orElse(null);
    }
    boolean cluster = Segment.CLUSTER.equals(s.kind) && model != null;
    SegmentReevaluation.Progress progress = reevaluation.progress();
    return new SegmentView(
        s.id,
        s.name,
        s.description,
        s.kind,
        s.rule,
        counts.getOrDefault(s.id, 0L),
        typical,
        s.createdAt,
        s.updatedAt,
        cluster ? model.version() : null,
        cluster ? model.asOf() : null,
        progress.running() ? progress : null);
  }

  private static void requireRule(Segment s) {
    if (!Segment.RULE.equals(s.kind)) {
      throw new ClientErrorException(
          "Segment '"
              + s.id
              + "' is one of the five fitted marketing segments; refit them with POST"
              + " /api/v1/admin/segment-model/fit instead.",
          409);
    }
  }

  static String slug(String name) {
    if (name == null) {
      return "";
    }
    String s = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    s = s.replaceAll("^-+|-+$", "");
    return s.length() > 63 ? s.substring(0, 63) : s;
  }

  private static NotFoundException notFound(String id) {
    return new NotFoundException("No segment '" + id + "'; GET /api/v1/segments lists them.");
  }
}
