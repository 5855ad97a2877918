package io.nextbest.common.rules;

import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelVariableResolver;
import io.nextbest.common.rest.InvalidInputException;
import io.nextbest.events.ProfileSnapshot;
import java.math.BigDecimal;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Boolean rules written in CEL over a profile: {@code features.frequency >= 3 &&
 * predictions.churnRisk > 0.5}. A rule sees the variables {@code profile} (the whole snapshot), and
 * its parts {@code attributes}, {@code features}, {@code predictions}, {@code consents} and {@code
 * segments}. CEL has no access to Java classes, files or the network; rules are also bounded in
 * length, nesting and loop iterations, so a stored rule cannot stall the ingest path.
 */
public final class ProfileRules {
  /** Longest rule accepted, in characters. */
  public static final int MAX_LENGTH = 4_000;

  private static final CelOptions OPTIONS =
      CelOptions.current()
          .enableHeterogeneousNumericComparisons(true)
          .comprehensionMaxIterations(10_000)
          .maxParseRecursionDepth(48)
          .maxRegexProgramSize(200)
          .build();

  private static final MapType DOCUMENT = MapType.create(SimpleType.STRING, SimpleType.DYN);

  private static final CelCompiler COMPILER = compiler(false);

  /** Campaign rules also see the triggering {@code event} and the request {@code context}. */
  private static final CelCompiler MOMENT_COMPILER = compiler(true);

  /** The variables of a moment that are not the profile's. */
  private static final Set<String> MOMENT_VARIABLES = Set.of("event", "context");

  private static CelCompiler compiler(boolean moments) {
    var builder =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("profile", DOCUMENT)
            .addVar("attributes", DOCUMENT)
            .addVar("features", DOCUMENT)
            .addVar("predictions", DOCUMENT)
            .addVar("consents", DOCUMENT)
            .addVar("segments", ListType.create(SimpleType.STRING))
            .setResultType(SimpleType.BOOL);
    if (moments) {
      builder.addVar("event", DOCUMENT).addVar("context", DOCUMENT);
    }
    return builder.build();
  }

  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

  private ProfileRules() {}

  /** A compiled rule, safe to share between threads. */
  public static final class Rule {
    private final String source;
    private final CelRuntime.Program program;
    private final boolean profileOnly;

    private Rule(String source, CelRuntime.Program program, boolean profileOnly) {
      this.source = source;
      this.program = program;
      this.profileOnly = profileOnly;
    }

    public String source() {
      return source;
    }

    /**
     * Whether the rule reads nothing but the profile (no {@code event}, no {@code context}): its
     * result is then a function of the profile snapshot alone and may be kept per snapshot.
     */
    public boolean profileOnly() {
      return profileOnly;
    }

    /**
     * True when the rule holds for the profile. A rule that cannot be evaluated for this profile (a
     * missing field, a type mismatch at run time) does not hold.
     */
    public boolean test(ProfileSnapshot profile) {
      return test(variables(profile));
    }

    /**
     * Evaluates over variables made by {@link #variables(ProfileSnapshot)}. They are read through a
     * resolver: evaluating over the map itself would copy it into an immutable activation on every
     * call, and its values are CEL values already.
     */
    public boolean test(Map<String, Object> variables) {
      CelVariableResolver resolver = name -> Optional.ofNullable(variables.get(name));
      try {
        return Boolean.TRUE.equals(program.eval(resolver));
      } catch (CelEvaluationException | RuntimeException e) {
        return false;
      }
    }
  }

  /**
   * Compiles a rule, or throws {@link InvalidInputException} naming {@code field} with the CEL
   * error and its position.
   */
  public static Rule compile(String field, String expression) {
    return compile(COMPILER, field, expression);
  }

  /**
   * Compiles a rule that may also read {@code event} (the triggering event: {@code type}, {@code
   * occurredAt} and its fields) and {@code context} (placement, channel, time of the moment);
   * evaluate it over {@link #momentVariables}.
   */
  public static Rule compileForMoments(String field, String expression) {
    return compile(MOMENT_COMPILER, field, expression);
  }

  private static Rule compile(CelCompiler compiler, String field, String expression) {
    if (expression == null || expression.isBlank()) {
      throw new InvalidInputException(field, "a CEL expression is required");
    }
    if (expression.length() > MAX_LENGTH) {
      throw new InvalidInputException(
          field, "the expression is longer than " + MAX_LENGTH + " characters");
    }
    try {
      var ast = compiler.compile(expression).getAst();
      List<String> problems = ProfileSchema.problems(ast);
      if (!problems.isEmpty()) {
        throw new InvalidInputException(
            field, "not a valid rule for these profiles: " + String.join("; ", problems));
      }
      boolean profileOnly =
          ast.getReferenceMap().values().stream()
              .noneMatch(r -> MOMENT_VARIABLES.contains(r.name()));
      return new Rule(expression, RUNTIME.createProgram(ast), profileOnly);
    } catch (CelValidationException e) {
      throw new InvalidInputException(field, describe(e));
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException | dev.cel.runtime.CelEvaluationException e) {
      throw new InvalidInputException(field, "not a valid rule: " + e.getMessage());
    }
  }

  private static String describe(CelValidationException e) {
    List<String> parts = new ArrayList<>();
    for (var issue : e.getErrors()) {
      var at = issue.getSourceLocation();
      parts.add(
          (at.getLine() > 0
                  ? "line " + at.getLine() + ", column " + (at.getColumn() + 1) + ": "
                  : "")
              + issue.getMessage());
    }
    return "not a valid CEL boolean rule: " + String.join("; ", parts);
  }

  /** The variables a rule sees for a profile, with JSON values turned into CEL values. */
  public static Map<String, Object> variables(ProfileSnapshot p) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("customerId", p.customerId());
    doc.put("version", p.version());
    Map<String, Object> attributes = celMap(p.attributes());
    Map<String, Object> features = celMap(p.features());
    Map<String, Object> predictions = celMap(p.predictions());
    Map<String, Object> consents = celMap(p.consents());
    List<Object> segments = celList(p.segments());
    doc.put("attributes", attributes);
    doc.put("features", features);
    doc.put("predictions", predictions);
    doc.put("consents", consents);
    doc.put("segments", segments);
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("profile", doc);
    vars.put("attributes", attributes);
    vars.put("features", features);
    vars.put("predictions", predictions);
    vars.put("consents", consents);
    vars.put("segments", segments);
    return vars;
  }

  /**
   * The variables of a moment rule: the profile's (empty documents when the customer is unknown),
   * the event (empty when none) and the context.
   */
  public static Map<String, Object> momentVariables(
      Map<String, Object> profileVariables, Map<String, ?> event, Map<String, ?> context) {
    Map<String, Object> vars = new LinkedHashMap<>(profileVariables);
    vars.put("event", celMap(event));
    vars.put("context", celMap(context));
    return vars;
  }

  /** The variables of an unknown customer: every document empty. */
  public static Map<String, Object> emptyProfileVariables() {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("profile", Map.of());
    vars.put("attributes", Map.of());
    vars.put("features", Map.of());
    vars.put("predictions", Map.of());
    vars.put("consents", Map.of());
    vars.put("segments", List.of());
    return vars;
  }

  /** CEL values: integers as long, decimals as double, times as ISO strings; nulls left out. */
  static Object celValue(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float || v instanceof BigDecimal) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof java.math.BigInteger b) {
      return b.doubleValue();
    }
    if (v instanceof Map<?, ?> m) {
      return celMap(m);
    }
    if (v instanceof List<?> l) {
      return celList(l);
    }
    if (v instanceof int[] a) {
      List<Object> out = new ArrayList<>(a.length);
      for (int i : a) {
        out.add((long) i);
      }
      return out;
    }
    if (v instanceof TemporalAccessor t) {
      return t.toString();
    }
    return v;
  }

  private static Map<String, Object> celMap(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (m != null) {
      m.forEach(
          (k, v) -> {
            if (k != null && v != null) {
              out.put(k.toString(), celValue(v));
            }
          });
    }
    return out;
  }

  private static List<Object> celList(List<?> l) {
    List<Object> out = new ArrayList<>();
    if (l != null) {
      for (Object v : l) {
        if (v != null) {
          out.add(celValue(v));
        }
      }
    }
    return out;
  }
}
