package io.nextbest.common.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The declared shape of a profile's {@code features} and {@code predictions}, as profile-service
 * computes them, for checking rules when they are saved: a rule that reads a feature no profile has
 * ({@code features.nope}) or compares a number with a string ({@code features.frequency > "x"})
 * would be false for every customer, silently; it is refused with what to write instead.
 */
public final class ProfileSchema {
  /** The kind of value a field holds. */
  public enum Kind {
    NUMBER,
    TEXT,
    LIST,
    MAP,
    ANY
  }

  static final Map<String, Kind> FEATURES =
      Map.ofEntries(
          Map.entry("eventCount", Kind.NUMBER),
          Map.entry("purchaseCount", Kind.NUMBER),
          Map.entry("monetary", Kind.NUMBER),
          Map.entry("averageOrderValue", Kind.NUMBER),
          Map.entry("frequency", Kind.NUMBER),
          Map.entry("recencyDays", Kind.NUMBER),
          Map.entry("daysSinceLastEngagement", Kind.NUMBER),
          Map.entry("bestHourOfWeek", Kind.NUMBER),
          Map.entry("daysToBirthday", Kind.NUMBER),
          Map.entry("discountOrderShare", Kind.NUMBER),
          Map.entry("discountEventCount", Kind.NUMBER),
          Map.entry("priceSensitivity", Kind.NUMBER),
          Map.entry("reviewCount", Kind.NUMBER),
          Map.entry("reviewSentiment", Kind.NUMBER),
          Map.entry("currency", Kind.TEXT),
          Map.entry("firstEventAt", Kind.TEXT),
          Map.entry("lastEventAt", Kind.TEXT),
          Map.entry("firstPurchaseDate", Kind.TEXT),
          Map.entry("lastPurchaseDate", Kind.TEXT),
          Map.entry("lastEngagementAt", Kind.TEXT),
          Map.entry("firstPurchaseAt", Kind.TEXT),
          Map.entry("lastPurchaseAt", Kind.TEXT),
          Map.entry("topCategories", Kind.LIST),
          Map.entry("engagementByHourOfWeek", Kind.LIST),
          Map.entry("categoryViewShares", Kind.MAP),
          Map.entry("categoryPurchaseShares", Kind.MAP),
          Map.entry("channelEngagement", Kind.MAP));

  static final Map<String, Kind> PREDICTIONS =
      Map.ofEntries(
          Map.entry("basis", Kind.TEXT),
          Map.entry("probabilityAlive", Kind.NUMBER),
          Map.entry("churnRisk", Kind.NUMBER),
          Map.entry("expectedPurchases30d", Kind.NUMBER),
          Map.entry("expectedPurchases90d", Kind.NUMBER),
          Map.entry("purchaseProbability30d", Kind.NUMBER),
          Map.entry("expectedOrderValue", Kind.NUMBER),
          Map.entry("clv12m", Kind.NUMBER),
          Map.entry("modelVersion", Kind.ANY),
          Map.entry("bgNbd", Kind.MAP),
          Map.entry("models", Kind.MAP));

  private static final Set<String> ORDERING = Set.of("_<_", "_<=_", "_>_", "_>=_");
  private static final Set<String> EQUALITY = Set.of("_==_", "_!=_");

  private ProfileSchema() {}

  /**
   * Most additions one rule may make: each can concatenate texts as long as a trait, and a chain of
   * them copies what it built again at every step.
   */
  static final int MAX_ADDITIONS = 32;

  /**
   * Elements a comprehension ({@code exists}, {@code all}, {@code map}, {@code filter}) is assumed
   * to iterate when a rule's cost is estimated: profile lists (segments, categories, traits) are
   * bounded by the input limits to about this many.
   */
  static final long LOOP_ELEMENTS = 100;

  /**
   * Most evaluation steps a rule may be estimated to take: every expression node once, and once per
   * assumed element of each comprehension around it. A single loop over a list fits; a loop in a
   * loop of more than a couple of steps does not.
   */
  static final long MAX_COST = 25_000;

  /** The estimated evaluation steps of a rule (see {@link #MAX_COST}). */
  static long cost(CelAbstractSyntaxTree ast) {
    long cost = 0;
    for (CelNavigableExpr node :
        (Iterable<CelNavigableExpr>) CelNavigableAst.fromAst(ast).getRoot().allNodes()::iterator) {
      long steps = 1;
      for (var up = node.parent(); up.isPresent(); up = up.get().parent()) {
        if (up.get().getKind() == CelExpr.ExprKind.Kind.COMPREHENSION) {
          steps = Math.min(steps * LOOP_ELEMENTS, Long.MAX_VALUE / 4);
        }
      }
      cost = Math.min(cost + steps, Long.MAX_VALUE / 4);
    }
    return cost;
  }

  /** The problems of a compiled rule against the declared profile shape; empty when none. */
  static List<String> problems(CelAbstractSyntaxTree ast) {
    List<String> out = new ArrayList<>();
    long cost = cost(ast);
    if (cost > MAX_COST) {
      out.add(
          "the rule would take about "
              + cost
              + " evaluation steps, over the budget of "
              + MAX_COST
              + " (each loop is counted as "
              + LOOP_ELEMENTS
              + " elements; avoid loops inside loops)");
    }
    List<CelExpr> nodes =
        CelNavigableAst.fromAst(ast).getRoot().allNodes().map(CelNavigableExpr::expr).toList();
    long additions =
        nodes.stream()
            .filter(
                e -> e.getKind() == CelExpr.ExprKind.Kind.CALL && "_+_".equals(e.call().function()))
            .count();
    if (additions > MAX_ADDITIONS) {
      out.add("a rule may make at most " + MAX_ADDITIONS + " additions, this one " + additions);
    }
    nodes.forEach(e -> check(e, out));
    return out;
  }

  private static void check(CelExpr e, List<String> out) {
    if (e.getKind() == CelExpr.ExprKind.Kind.SELECT && !e.select().testOnly()) {
      String document = document(e.select().operand());
      Map<String, Kind> fields = fields(document);
      String field = e.select().field();
      if (fields != null && !fields.containsKey(field)) {
        String message =
            "unknown field '"
                + document
                + "."
                + field
                + "'; "
                + document
                + " has "
                + String.join(", ", new TreeSet<>(fields.keySet()));
        if (!out.contains(message)) {
          out.add(message);
        }
      }
      return;
    }
    if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().args().size() == 2) {
      String fn = e.call().function();
      if (!ORDERING.contains(fn) && !EQUALITY.contains(fn)) {
        return;
      }
      CelExpr a = e.call().args().get(0);
      CelExpr b = e.call().args().get(1);
      mismatch(a, b, fn, out);
      mismatch(b, a, fn, out);
    }
  }

  /** A declared number compared with a string literal, or a declared text ordered by a number. */
  private static void mismatch(CelExpr field, CelExpr other, String fn, List<String> out) {
    Kind kind = kind(field);
    if (kind == null || other.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
      return;
    }
    CelConstant.Kind constant = other.constant().getKind();
    String name = document(field.select().operand()) + "." + field.select().field();
    boolean text = constant == CelConstant.Kind.STRING_VALUE;
    boolean number =
        constant == CelConstant.Kind.INT64_VALUE
            || constant == CelConstant.Kind.UINT64_VALUE
            || constant == CelConstant.Kind.DOUBLE_VALUE;
    if (kind == Kind.NUMBER && text) {
      out.add(name + " is a number: compare it with a number, not a string");
    } else if (kind == Kind.TEXT && number) {
      out.add(name + " is a text: compare it with a string, not a number");
    } else if ((kind == Kind.LIST || kind == Kind.MAP) && (text || number)) {
      out.add(
          name
              + " is a "
              + (kind == Kind.LIST ? "list" : "map")
              + ": use 'in', size() or an index, not "
              + (ORDERING.contains(fn) ? "an ordering" : "an equality")
              + " with a "
              + (text ? "string" : "number"));
    }
  }

  private static Kind kind(CelExpr e) {
    if (e.getKind() != CelExpr.ExprKind.Kind.SELECT || e.select().testOnly()) {
      return null;
    }
    Map<String, Kind> fields = fields(document(e.select().operand()));
    return fields == null ? null : fields.get(e.select().field());
  }

  /** "features" or "predictions" when the expression names one (directly or via profile). */
  private static String document(CelExpr operand) {
    if (operand.getKind() == CelExpr.ExprKind.Kind.IDENT) {
      return operand.ident().name();
    }
    if (operand.getKind() == CelExpr.ExprKind.Kind.SELECT
        && operand.select().operand().getKind() == CelExpr.ExprKind.Kind.IDENT
        && "profile".equals(operand.select().operand().ident().name())) {
      return operand.select().field();
    }
    return null;
  }

  private static Map<String, Kind> fields(String document) {
    if ("features".equals(document)) {
      return FEATURES;
    }
    if ("predictions".equals(document)) {
      return PREDICTIONS;
    }
    return null;
  }
}
