package io.nextbest.decision.repository;

import static io.nextbest.common.sql.Columns.booleans;
import static io.nextbest.common.sql.Columns.doubles;
import static io.nextbest.common.sql.Columns.ints;
import static io.nextbest.common.sql.Columns.texts;
import static io.nextbest.common.sql.Columns.times;

import io.nextbest.common.privacy.ErasedCustomers;
import io.nextbest.decision.domain.LoggedDecision;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The decision log. */
@ApplicationScoped
public class DecisionLogRepository implements PanacheRepositoryBase<LoggedDecision, String> {
  /**
   * The advisory lock every writer of the rollups waits for in its transaction (decisions logged,
   * outcomes stored, a customer erased), so a decision and a conversion written at the same time by
   * two consumers each see the other exactly once.
   */
  public static final long ROLLUP_LOCK = 0x6e62_726f_6c6c_7570L;

  static final String LOCK_ROLLUPS = "select pg_advisory_xact_lock(" + ROLLUP_LOCK + ")";

  /** A decision's conversions within its own window so far, each order once ({@code x.*}). */
  static final String WINDOW_CONVERSIONS =
      "select count(*) n, coalesce(sum(coalesce(o.value, 0)), 0) v from (select distinct on"
          + " (coalesce(x.order_id, x.outcome_id)) x.value from outcomes x where x.customer_id ="
          + " %1$s and x.type = 'conversion' and x.occurred_at >= %2$s and x.occurred_at < %2$s"
          + " + make_interval(days => %3$s) order by coalesce(x.order_id, x.outcome_id),"
          + " x.occurred_at) o";

  /**
   * Adds grouped rows ({@code day, campaign, rule, control, global control, decisions, converted,
   * value, value squared}) to the daily rollup.
   */
  static final String ADD_DAILY =
      "insert into decision_daily as t (day, campaign_id, rule, control, global_control,"
          + " decisions, converted, value, value_squares) %s on conflict (day, campaign_id, rule,"
          + " control, global_control) do update set decisions = t.decisions +"
          + " excluded.decisions, converted = t.converted + excluded.converted, value = t.value +"
          + " excluded.value, value_squares = t.value_squares + excluded.value_squares";

  private static final String LOG_ALL =
      "with u as (select * from unnest($1::text[], $2::text[], $3::text[], $4::text[],"
          + " $5::text[], $6::text[], $7::float8[], $8::text[], $9::boolean[], $10::text[],"
          + " $11::text[], $12::timestamptz[], $13::int[], $14::text[]) as u(id, moment, customer,"
          + " campaign, channel, placement, propensity, version, control, candidates, features,"
          + " decided, wd, rule) where "
          + ErasedCustomers.notErasedAt("u.customer", "u.decided")
          + "), ins as (insert into decision_log (decision_id, moment_id, customer_id,"
          + " campaign_id, channel, placement, propensity, policy_version, control, candidates,"
          + " features, decided_at, window_days, rule, conversions, conversion_value) select u.id,"
          + " u.moment, u.customer, u.campaign, u.channel, u.placement, u.propensity, u.version,"
          + " u.control, u.candidates, u.features::jsonb, u.decided, u.wd, u.rule, c.n, c.v from u"
          + " left join lateral ("
          + WINDOW_CONVERSIONS.formatted("u.customer", "u.decided", "u.wd")
          + ") c on true on conflict (decision_id) do nothing returning customer_id,"
          + " campaign_id, control, policy_version = 'global-control' gc, decided_at, rule,"
          + " conversions, conversion_value), daily as ("
          + ADD_DAILY.formatted(
              "select (decided_at at time zone 'UTC')::date, coalesce(campaign_id, ''), rule,"
                  + " control, gc, count(*), count(*) filter (where conversions > 0),"
                  + " sum(conversion_value), sum(conversion_value * conversion_value) from ins"
                  + " group by 1, 2, 3, 4, 5")
          + " returning 1), b as (select g, customer_id, date_trunc('hour', max(decided_at),"
          + " 'UTC') at from (select case"
          + " when gc then 'g' else 'p' end g, customer_id, decided_at from ins union all select"
          + " case when control then 'c:' else 't:' end || campaign_id, customer_id, decided_at"
          + " from ins where campaign_id is not null and not gc) x group by 1, 2), o as (select"
          + " b.g, b.at, t.last_at old from b left join decision_customers t on t.grp = b.g and"
          + " t.customer_id = b.customer_id), people as (insert into decision_customers as t"
          + " (grp, customer_id, last_at) select g, customer_id, at from b on conflict (grp,"
          + " customer_id) do update set last_at = excluded.last_at where t.last_at <"
          + " excluded.last_at returning 1), moves as (insert into decision_customer_days as t (grp, day,"
          + " customers) select g, d, sum(n) from (select g, (at at time zone 'UTC')::date d, 1 n"
          + " from o where old is null or at > old union all select g, (old at time zone"
          + " 'UTC')::date, -1 from o where at > old) m group by 1, 2 on conflict (grp, day) do"
          + " update set customers = t.customers + excluded.customers returning 1)"
          + " select (select count(*) from ins)";
  private static final String LEARNED_COLUMNS =
      "select customer_id, campaign_id, propensity, reward, features->>'encoder', features->'x',"
          + " features->'facts', features->'policy', candidates, decided_at, decision_id"
          + " from decision_log where learned and not control";
  private static final double WEEK_SECONDS = 604_800;
  private final Pool pool;

  public DecisionLogRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Logs decisions not logged yet (replays are no-ops) unless their customer was erased since they
   * were made; answers how many were new.
   */
  public Uni<Integer> logAll(List<DecisionLogRow> d) {
    if (d.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    // one statement for the whole batch: the rows travel as arrays and are unnested server-side;
    // the conversions already stored for each new decision's window count at once
    Tuple rows =
        Tuple.tuple(
            List.of(
                texts(d, DecisionLogRow::id),
                texts(d, DecisionLogRow::momentId),
                texts(d, DecisionLogRow::customerId),
                texts(d, DecisionLogRow::campaignId),
                texts(d, DecisionLogRow::channel),
                texts(d, DecisionLogRow::placement),
                doubles(d, DecisionLogRow::propensity),
                texts(d, DecisionLogRow::policyVersion),
                booleans(d, DecisionLogRow::control),
                texts(d, DecisionLogRow::candidates),
                texts(d, DecisionLogRow::features),
                times(d, DecisionLogRow::decidedAt),
                ints(d, DecisionLogRow::windowDays),
                texts(d, DecisionLogRow::rule)));
    return pool.withTransaction(
        conn ->
            conn.query(LOCK_ROLLUPS)
                .execute()
                .chain(() -> conn.preparedQuery(LOG_ALL).execute(rows))
                .map(r -> r.iterator().next().getLong(0).intValue()));
  }

  @WithSession
  public Uni<LoggedDecision> byId(String id) {
    return findById(id);
  }

  @WithSession
  public Uni<Long> countForCustomer(String customerId) {
    return count("customerId", customerId);
  }

  /**
   * Deletes a customer's decisions in the caller's transaction, and takes them out of the rollups
   * (the caller holds {@link #ROLLUP_LOCK}); answers how many.
   */
  public Uni<Integer> deleteForCustomer(SqlConnection conn, String customerId) {
    return conn.preparedQuery(
            ADD_DAILY.formatted(
                "select (decided_at at time zone 'UTC')::date, coalesce(campaign_id, ''), rule,"
                    + " control, policy_version = 'global-control', -count(*), -count(*) filter"
                    + " (where conversions > 0), -sum(conversion_value), -sum(conversion_value *"
                    + " conversion_value) from decision_log where customer_id = $1 group by 1, 2,"
                    + " 3, 4, 5"))
        .execute(Tuple.of(customerId))
        .chain(
            () ->
                conn.preparedQuery(
                        "with gone as (delete from decision_customers where customer_id = $1"
                            + " returning grp, last_at) insert into decision_customer_days as t"
                            + " (grp, day, customers) select grp, (last_at at time zone"
                            + " 'UTC')::date, -count(*) from gone group by 1, 2 on conflict (grp,"
                            + " day) do update set customers = t.customers + excluded.customers")
                    .execute(Tuple.of(customerId)))
        .chain(
            () ->
                conn.preparedQuery("delete from decision_log where customer_id = $1")
                    .execute(Tuple.of(customerId)))
        .map(rows -> rows.rowCount());
  }

  /** The customer of each logged decision among {@code decisionIds}, by decision id. */
  public Uni<Map<String, String>> customersOf(String[] decisionIds) {
    return pool.preparedQuery(
            "select decision_id, customer_id from decision_log where decision_id = any($1)")
        .execute(Tuple.of(decisionIds))
        .map(
            rows -> {
              Map<String, String> out = new HashMap<>();
              for (Row r : rows) {
                out.put(r.getString(0), r.getString(1));
              }
              return out;
            });
  }

  /**
   * What a horizon's reward counts.
   *
   * @param conversionWithoutValue the value of a conversion reported without one
   * @param valueCeiling the most one conversion counts
   * @param weeklyDiscount the discount per week after the decision
   * @param click the reward of a click
   * @param open the reward of an open
   * @param impression the reward of an impression
   */
  public record RewardTerms(
      double conversionWithoutValue,
      double valueCeiling,
      double weeklyDiscount,
      double click,
      double open,
      double impression) {}

  /**
   * Locks (skipping rows locked elsewhere) and scores up to {@code limit} decisions not learned yet
   * on the decision horizon, or on the journey horizon when {@code journey}, live (no {@code
   * simulatedBy}) or of one simulation, decided before {@code closedBefore}, in the caller's
   * transaction. Each row: decision id, campaign, control, encoder, x, facts, policy, candidates,
   * propensity, policy version, decided at, then its customer's conversions within the horizon
   * (each order once, capped at the value ceiling, discounted by week), its own unsubscribes and
   * complaints, and its own typed outcomes' rewards.
   */
  public Uni<RowSet<Row>> scoreClosed(
      SqlConnection conn,
      boolean journey,
      String simulatedBy,
      OffsetDateTime closedBefore,
      int limit,
      int horizonDays,
      RewardTerms terms) {
    String sql =
        "with closing as (select decision_id, customer_id, campaign_id, control, candidates,"
            + " features, decided_at, propensity, policy_version from decision_log where not "
            + learnedColumn(journey)
            + (simulatedBy == null
                ? " and (features -> 'policy' ->> 'simulatedBy') is null and $11::text is null"
                : " and (features -> 'policy' ->> 'simulatedBy') = $11")
            + " and decided_at < $1"
            + " order by decided_at limit $2 for update skip locked)"
            + " select d.decision_id, d.campaign_id, d.control, d.features->>'encoder',"
            + " d.features->'x', d.features->'facts', d.features->'policy', d.candidates,"
            + " d.propensity, d.policy_version, d.decided_at,"
            + " coalesce((select sum(least(coalesce(v.value, $4), $5) * power($6::float8,"
            + " extract(epoch from v.occurred_at - d.decided_at) / $7)) from (select distinct on"
            + " (coalesce(c.order_id, c.outcome_id)) c.value, c.occurred_at from outcomes c where"
            + " c.customer_id = d.customer_id and c.type = 'conversion' and c.occurred_at >="
            + " d.decided_at and c.occurred_at < d.decided_at + make_interval(days => $3)"
            + " order by coalesce(c.order_id, c.outcome_id), c.occurred_at) v), 0),"
            + " (select count(*) from outcomes u where u.decision_id = d.decision_id and"
            + " u.customer_id = d.customer_id and u.type in ('unsubscribe', 'complaint') and"
            + " u.occurred_at < d.decided_at + make_interval(days => $3)),"
            + " (select coalesce(sum(case u.type when 'click' then $8::float8 when 'open' then"
            + " $9::float8 when 'impression' then $10::float8 else 0 end), 0) from outcomes u"
            + " where u.decision_id = d.decision_id and u.customer_id = d.customer_id and"
            + " u.type in ('click', 'open', 'impression') and u.occurred_at < d.decided_at +"
            + " make_interval(days => $3)) from closing d";
    Tuple args =
        Tuple.tuple(
            java.util.Arrays.asList(
                closedBefore,
                limit,
                horizonDays,
                terms.conversionWithoutValue(),
                terms.valueCeiling(),
                terms.weeklyDiscount(),
                WEEK_SECONDS,
                terms.click(),
                terms.open(),
                terms.impression(),
                simulatedBy));
    return conn.preparedQuery(sql).execute(args);
  }

  /**
   * Marks decisions learned on the decision horizon, or on the journey horizon when {@code
   * journey}, with their rewards, in the caller's transaction.
   */
  public Uni<Void> markLearned(
      SqlConnection conn, boolean journey, List<String> ids, List<Double> rewards) {
    return conn.preparedQuery(
            "update decision_log d set "
                + learnedColumn(journey)
                + " = true, "
                + (journey ? "reward_long" : "reward")
                + " = u.r from unnest($1::text[], $2::float8[]) as u(id, r)"
                + " where d.decision_id = u.id")
        .execute(Tuple.of(ids.toArray(String[]::new), rewards.toArray(Double[]::new)))
        .replaceWithVoid();
  }

  /**
   * Marks up to {@code limit} decisions learned on the decision horizon as done on the journey
   * horizon too, without learning them there, in the caller's transaction.
   */
  public Uni<Void> markJourneyWithoutLearning(SqlConnection conn, int limit) {
    return conn.preparedQuery(
            "update decision_log set learned_long = true where decision_id in (select decision_id"
                + " from decision_log where not learned_long and learned order by decided_at"
                + " limit $1)")
        .execute(Tuple.of(limit))
        .replaceWithVoid();
  }

  private static String learnedColumn(boolean journey) {
    return journey ? "learned_long" : "learned";
  }

  /**
   * Decisions since {@code since} by campaign, control, global control ({@code policy_version =
   * globalControl}) and UTC day: decisions, decisions whose customer converted within their window,
   * the converted value and its sum of squares (each order once). Whole days come from the daily
   * rollup; only the part of {@code since}'s own day after it is read from the log (its
   * per-decision sums, by the decided-at index).
   */
  public Uni<RowSet<Row>> upliftByDay(Instant since, String globalControl) {
    OffsetDateTime from = since.atOffset(ZoneOffset.UTC);
    OffsetDateTime midnight = nextMidnight(from);
    return pool.preparedQuery(
            "select nullif(campaign_id, ''), control, global_control, day, sum(decisions),"
                + " sum(converted), sum(value), sum(value_squares) from decision_daily where day"
                + " >= $3 group by 1, 2, 3, 4 having sum(decisions) <> 0 union all select"
                + " campaign_id, control, policy_version = $2, (decided_at at time zone"
                + " 'UTC')::date, count(*), count(*) filter (where conversions > 0),"
                + " coalesce(sum(conversion_value), 0), coalesce(sum(conversion_value *"
                + " conversion_value), 0) from decision_log where decided_at >= $1 and decided_at"
                + " < $4 group by 1, 2, 3, 4")
        .execute(Tuple.of(from, globalControl, midnight.toLocalDate(), midnight));
  }

  /** The first UTC midnight at or after {@code t}. */
  static OffsetDateTime nextMidnight(OffsetDateTime t) {
    OffsetDateTime day = t.toLocalDate().atStartOfDay().atOffset(ZoneOffset.UTC);
    return day.equals(t) ? day : day.plusDays(1);
  }

  /**
   * Distinct customers decided since {@code since} (to the hour: from the start of its hour) per
   * comparison group: {@code p} the programme, {@code g} the global control, {@code t:<campaign>}
   * and {@code c:<campaign>} a campaign's treated and control decisions. Each customer's row per
   * group keeps the hour of their latest decision, so a customer decided again within the hour
   * costs no write.
   */
  public Uni<Map<String, Long>> customersByGroup(Instant since) {
    // the customers' rows keep the hour of their latest decision
    OffsetDateTime from = since.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
    OffsetDateTime midnight = nextMidnight(from);
    // whole days from the per-day counts; the part of since's own day from the customers' rows
    return pool.preparedQuery(
            "select grp, sum(customers) from decision_customer_days where day >= $3 group by grp"
                + " union all select grp, count(*) from decision_customers where last_at >= $1"
                + " and last_at < $2 group by grp")
        .execute(Tuple.of(from, midnight, midnight.toLocalDate()))
        .map(
            rows -> {
              Map<String, Long> out = new HashMap<>();
              for (Row r : rows) {
                out.merge(r.getString(0), r.getLong(1), Long::sum);
              }
              return out;
            });
  }

  /**
   * Decisions per UTC day from {@code from} (inclusive) to {@code to} (exclusive) by campaign
   * ({@code ''} for none), rule, control and global control, with what their windows earned. Each
   * row: day, campaign, rule, control, global control, decisions, converted, value, value squared.
   */
  public Uni<RowSet<Row>> daily(java.time.LocalDate from, java.time.LocalDate to) {
    return pool.preparedQuery(
            "select day, campaign_id, rule, control, global_control, decisions, converted, value,"
                + " value_squares from decision_daily where day >= $1 and day < $2 and decisions"
                + " <> 0 order by day")
        .execute(Tuple.of(from, to));
  }

  /**
   * Up to {@code limit} of a customer's decisions, newest first, before the position ({@code
   * beforeAt}, {@code beforeId}) when given; each with the outcomes that name it.
   */
  public Uni<RowSet<Row>> forCustomer(
      String customerId, OffsetDateTime beforeAt, String beforeId, int limit) {
    String page =
        "select decision_id, moment_id, campaign_id, channel, placement, propensity,"
            + " policy_version, control, candidates, features::text, decided_at, rule,"
            + " conversions, conversion_value, window_days from decision_log where customer_id ="
            + " $1"
            + (beforeAt == null ? "" : " and (decided_at, decision_id) < ($3, $4)")
            + " order by decided_at desc, decision_id desc limit $2";
    Tuple args = Tuple.of(customerId, limit);
    if (beforeAt != null) {
      args.addOffsetDateTime(beforeAt).addString(beforeId);
    }
    return pool.preparedQuery(page).execute(args);
  }

  /**
   * When the oldest live (not simulated) decision not yet learned on the decision horizon was made;
   * null when every one is learned.
   */
  public Uni<Instant> oldestUnlearned() {
    return pool.preparedQuery(
            "select min(decided_at) from decision_log where not learned"
                + " and (features -> 'policy' ->> 'simulatedBy') is null")
        .execute()
        .map(
            rows -> {
              OffsetDateTime t = rows.iterator().next().getOffsetDateTime(0);
              return t == null ? null : t.toInstant();
            });
  }

  /**
   * The position (decided at, decision id) of the oldest of the latest {@code limit} learned,
   * non-control decisions since {@code since}; empty when there are fewer.
   */
  public Uni<RowSet<Row>> oldestOfLatestLearned(Instant since, int limit) {
    return pool.preparedQuery(
            "select decided_at, decision_id from decision_log where learned and not control"
                + " and decided_at >= $1 order by decided_at desc, decision_id desc"
                + " offset $2 limit 1")
        .execute(Tuple.of(since.atOffset(ZoneOffset.UTC), limit - 1));
  }

  /**
   * A page of learned, non-control decisions in (decided at, decision id) order from a position,
   * inclusive or not. Each row: customer, campaign, propensity, reward, encoder, x, facts, policy,
   * candidates, decided at, decision id.
   */
  public Uni<RowSet<Row>> learnedPage(
      OffsetDateTime fromDecidedAt, String fromDecisionId, boolean inclusive, int page) {
    String condition =
        inclusive
            ? " and (decided_at, decision_id) >= ($1, $2)"
            : " and (decided_at, decision_id) > ($1, $2)";
    return pool.preparedQuery(
            LEARNED_COLUMNS + condition + " order by decided_at, decision_id limit " + page)
        .execute(Tuple.of(fromDecidedAt, fromDecisionId));
  }
}
