package io.nextbest.tools.profile;

import io.nextbest.events.ProfileSnapshot;
import io.nextbest.models.clv.BgNbdFitter;
import io.nextbest.models.clv.ClvModel;
import io.nextbest.models.clv.GammaGamma;
import io.nextbest.models.clv.RepeatSample;
import io.nextbest.models.segments.ClusterFitter;
import io.nextbest.models.segments.ClusterModel;
import io.nextbest.models.segments.ClusterSample;
import io.nextbest.profile.features.EventFacts;
import io.nextbest.profile.features.FeatureCalculator;
import io.nextbest.profile.features.FeatureState;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What profile-service computes from an order history, without the service: every event folded into
 * its customer's feature state as ingest folds it, the CLV model fitted and the segments clustered
 * and labelled as the refit does, all as of one moment. The segments report runs it on a file; the
 * tests check the segments' meaning with it on the real data.
 */
public final class OfflineSegments {
  static final long CLV_SEED = 19_970_101L;
  static final long SEGMENT_SEED = 20_050_301L;
  private static final EventFacts.Context CONTEXT =
      new EventFacts.Context(ZoneOffset.UTC, null, Set.of());

  /** The fits and every purchaser's segment and features. */
  public record Result(ClvModel clv, ClusterModel segments, List<SegmentProfiles.Member> members) {}

  private static final class Customer {
    final FeatureState state = new FeatureState();
    long events;
    long purchases;
    double monetary;
    Instant first;
    Instant last;
  }

  private OfflineSegments() {}

  /** Folds the events, fits both models as of {@code asOf} and assigns every purchaser. */
  public static Result run(List<OnlineRetailOrders.Event> events, Instant asOf) {
    Map<String, Customer> customers = new TreeMap<>();
    for (OnlineRetailOrders.Event e : events) {
      Customer c = customers.computeIfAbsent(e.customerId(), k -> new Customer());
      Map<String, Object> props = props(e);
      c.events++;
      if (e.type().equals("purchase")) {
        c.purchases++;
        c.monetary += e.amount().doubleValue();
      } else {
        c.monetary -= e.amount().doubleValue();
      }
      c.first = c.first == null || e.at().isBefore(c.first) ? e.at() : c.first;
      c.last = c.last == null || e.at().isAfter(c.last) ? e.at() : c.last;
      EventFacts.apply(c.state, e.type(), e.at(), props, CONTEXT);
    }
    long today = asOf.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
    RepeatSample sample = new RepeatSample(Integer.MAX_VALUE, CLV_SEED);
    for (Customer c : customers.values()) {
      FeatureState.RepeatSummary r = c.state.repeatSummary(today);
      if (r != null) {
        sample.add(r.x(), r.tx(), r.age(), r.meanRepeatValue());
      }
    }
    var bg = BgNbdFitter.fit(sample.repeatBuyers());
    var gg = GammaGamma.fit(sample.repeatCounts(), sample.repeatMeans());
    ClvModel clv = new ClvModel(1, Instant.now(), sample.customers(), bg.model(), gg.model(), asOf);

    Map<String, ProfileSnapshot> profiles = new LinkedHashMap<>();
    ClusterSample rows = new ClusterSample(Integer.MAX_VALUE, SEGMENT_SEED);
    for (var e : customers.entrySet()) {
      Customer c = e.getValue();
      if (c.purchases == 0) {
        continue;
      }
      var derived =
          FeatureCalculator.derive(
              new FeatureCalculator.Counts(c.events, c.purchases, c.monetary, c.first, c.last),
              c.state,
              Map.of(),
              clv,
              asOf);
      ProfileSnapshot p =
          new ProfileSnapshot(
              e.getKey() + ":1",
              ProfileSnapshot.TYPE,
              e.getKey(),
              asOf,
              1,
              Map.of(),
              derived.features(),
              derived.predictions(),
              Map.of(),
              List.of(),
              null);
      profiles.put(e.getKey(), p);
      double[] v =
          ClusterModel.features(
              p.features(), p.predictions(), asOf.atZone(ZoneOffset.UTC).toLocalDate());
      if (v != null) {
        rows.add(v);
      }
    }
    ClusterModel model =
        ClusterFitter.fit(rows.rows(), rows.population(), SEGMENT_SEED, asOf)
            .stored(1, Instant.now(), rows.population());
    List<SegmentProfiles.Member> members = new ArrayList<>();
    for (ProfileSnapshot p : profiles.values()) {
      members.add(member(model.assign(p), p.features(), p.predictions()));
    }
    return new Result(clv, model, members);
  }

  /** A purchaser's line of the segment profile, from a profile's features and predictions. */
  static SegmentProfiles.Member member(
      String segment, Map<String, Object> features, Map<String, Object> predictions) {
    return new SegmentProfiles.Member(
        segment,
        number(features.get("recencyDays")),
        number(features.get("frequency")),
        number(features.get("monetary")),
        number(features.get("averageOrderValue")),
        number(features.get("tenureDays")),
        number(predictions.get("probabilityAlive")),
        number(predictions.get("clv12m")));
  }

  private static double number(Object v) {
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static Map<String, Object> props(OnlineRetailOrders.Event e) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("orderId", e.orderId());
    p.put("amount", e.amount());
    List<Object> items = new ArrayList<>();
    for (OnlineRetailOrders.Item i : e.items()) {
      items.add(Map.of("sku", i.sku(), "price", i.price(), "quantity", i.quantity()));
    }
    p.put("items", items);
    return p;
  }
}
