package io.nextbest.content.template;

import io.nextbest.common.rest.Problem.FieldError;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Expression;
import io.quarkus.qute.SectionBlock;
import io.quarkus.qute.SectionNode;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.TemplateNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Checks and compiles template fields. A field is a Qute template over a closed data model: {@code
 * profile} (known fields only), {@code recs}, {@code campaign} and {@code locale}; loop variables
 * it declares itself; a handful of safe operators. Namespaces ({@code config:}, {@code inject:}),
 * includes, {@code #eval} and unescaped output are refused, so a template cannot reach Java
 * classes, configuration, files or the network.
 */
@ApplicationScoped
public class TemplateChecker {
  /** Fields a variant may carry. */
  public static final Set<String> FIELDS =
      Set.of(
          "headline",
          "body",
          "cta",
          "url",
          "image",
          "subject",
          "title",
          "background",
          "foreground",
          "accent");

  /** Profile fields templates may use. */
  public static final Set<String> PROFILE_FIELDS =
      Set.of(
          "id",
          "name",
          "firstName",
          "lastName",
          "email",
          "locale",
          "timezone",
          "country",
          "city",
          "topCategory",
          "topCategories",
          "clvTier",
          "clv",
          "pAlive",
          "churnRisk",
          "segments",
          "daysToBirthday",
          "orders",
          "traits");

  private static final Set<String> ROOTS = Set.of("profile", "recs", "campaign", "locale");
  private static final Set<String> SECTIONS =
      Set.of("if", "else", "for", "each", "let", "when", "switch", "is", "case");
  private static final Set<String> METHODS =
      Set.of(
          "?:",
          "or",
          "orEmpty",
          "ifTruthy",
          "size",
          "isEmpty",
          "take",
          "get",
          "toUpperCase",
          "toLowerCase",
          "&&",
          "||",
          "==",
          "!=",
          "eq",
          "ne",
          "is",
          ">",
          "<",
          ">=",
          "<=",
          "gt",
          "lt",
          "ge",
          "le");
  private static final java.util.regex.Pattern ALIAS =
      java.util.regex.Pattern.compile("\\{#(?:for|each)\\s+([A-Za-z_]\\w*)\\s+in\\b");

  /** The longest loop over a number a template may write, and how deep loops may nest. */
  static final int MAX_LOOP_COUNT = 100;

  static final int MAX_LOOP_DEPTH = 2;

  /** Numeric profile fields: a loop over one would repeat as often as the number says. */
  private static final Set<String> NUMERIC_PROFILE_FIELDS =
      Set.of("clv", "pAlive", "churnRisk", "daysToBirthday", "orders");

  private static final java.util.regex.Pattern LET =
      java.util.regex.Pattern.compile("\\{#let\\s+([^}]*)}");

  private final Engine engine;

  public TemplateChecker(Engine engine) {
    this.engine = engine;
  }

  /** A field compiled: its template and whether it needs recommendations. */
  public record Compiled(Template template, boolean usesRecs) {}

  /**
   * Compiles {@code source}; problems are added to {@code errors} under {@code path} with their
   * line and column. Answers null when it does not compile.
   */
  public Compiled compile(String path, String source, List<FieldError> errors) {
    if (source == null) {
      errors.add(new FieldError(path, "must be a string"));
      return null;
    }
    if (source.length() > 20_000) {
      errors.add(new FieldError(path, "is longer than 20000 characters"));
      return null;
    }
    Template template;
    try {
      template = engine.parse(source);
    } catch (TemplateException e) {
      errors.add(new FieldError(path, at(e.getOrigin()) + message(e)));
      return null;
    }
    int before = errors.size();
    for (TemplateNode node : template.findNodes(n -> n instanceof SectionNode)) {
      String name = ((SectionNode) node).getName();
      if (!SECTIONS.contains(name) && !"$root".equals(name)) {
        errors.add(
            new FieldError(
                path,
                at(node.getOrigin()) + "section {#" + name + "} is not allowed; use " + SECTIONS));
      }
    }
    loopProblems(path, template.getNodes(), 0, errors);
    Set<String> declared = declaredNames(source);
    boolean usesRecs = false;
    for (Expression e : template.getExpressions()) {
      usesRecs |= check(path, e, declared, errors);
    }
    return errors.size() > before ? null : new Compiled(template, usesRecs);
  }

  /**
   * Loops are bounded on save: over a number at most {@value #MAX_LOOP_COUNT} times, never over a
   * numeric profile field, nested at most {@value #MAX_LOOP_DEPTH} deep. (Output is also bounded at
   * render.)
   */
  private static void loopProblems(
      String path, List<TemplateNode> nodes, int depth, List<FieldError> errors) {
    for (TemplateNode node : nodes) {
      if (!(node instanceof SectionNode section)) {
        continue;
      }
      boolean loop = "for".equals(section.getName()) || "each".equals(section.getName());
      if (loop) {
        if (depth + 1 > MAX_LOOP_DEPTH) {
          errors.add(
              new FieldError(
                  path,
                  at(section.getOrigin())
                      + "loops may nest at most "
                      + MAX_LOOP_DEPTH
                      + " levels deep"));
          return;
        }
        String problem = iterableProblem(iterable(section.getBlocks().get(0)));
        if (problem != null) {
          errors.add(
              new FieldError(
                  path, at(section.getOrigin()) + "{#" + section.getName() + "} " + problem));
        }
      }
      for (SectionBlock block : section.getBlocks()) {
        loopProblems(path, block.nodes, loop ? depth + 1 : depth, errors);
      }
    }
  }

  private static String iterable(SectionBlock block) {
    String named = block.parameters.get("iterable");
    if (named != null) {
      return named;
    }
    String last = null;
    for (String v : block.parameters.values()) {
      last = v;
    }
    return last == null ? "" : last;
  }

  static String iterableProblem(String iterable) {
    if (iterable.matches("[0-9_]+")) {
      long n;
      try {
        n = Long.parseLong(iterable.replace("_", ""));
      } catch (NumberFormatException e) {
        n = Long.MAX_VALUE;
      }
      return n > MAX_LOOP_COUNT
          ? "over " + iterable + " repeats more than " + MAX_LOOP_COUNT + " times"
          : null;
    }
    if (iterable.startsWith("profile.")
        && NUMERIC_PROFILE_FIELDS.contains(iterable.substring("profile.".length()))) {
      return "over the number " + iterable + " is not allowed";
    }
    return null;
  }

  private boolean check(String path, Expression e, Set<String> declared, List<FieldError> errors) {
    if (e.isLiteral()) {
      return false;
    }
    String where = at(e.getOrigin());
    if (e.hasNamespace()) {
      errors.add(
          new FieldError(
              path, where + "namespace '" + e.getNamespace() + ":' is not available in templates"));
      return false;
    }
    List<Expression.Part> parts = e.getParts();
    if (parts.isEmpty()) {
      return false;
    }
    boolean usesRecs = false;
    String root = parts.get(0).getName();
    if (parts.get(0).isVirtualMethod()) {
      errors.add(new FieldError(path, where + "'" + root + "(...)' is not available in templates"));
    } else if (!ROOTS.contains(root) && !declared(root, declared)) {
      errors.add(
          new FieldError(
              path,
              where
                  + "undefined variable '"
                  + root
                  + "' in {"
                  + e.toOriginalString()
                  + "}; use profile, recs, campaign or locale"));
    } else if ("profile".equals(root)
        && parts.size() > 1
        && !parts.get(1).isVirtualMethod()
        && !PROFILE_FIELDS.contains(parts.get(1).getName())) {
      errors.add(
          new FieldError(
              path,
              where
                  + "undefined variable 'profile."
                  + parts.get(1).getName()
                  + "'; profile fields are "
                  + new java.util.TreeSet<>(PROFILE_FIELDS)));
    }
    usesRecs = "recs".equals(root);
    for (Expression.Part p : parts) {
      if (p.isVirtualMethod()) {
        if (!METHODS.contains(p.getName())) {
          errors.add(
              new FieldError(
                  path, where + "method '" + p.getName() + "' is not available in templates"));
        }
        for (Expression param : p.asVirtualMethod().getParameters()) {
          usesRecs |= check(path, param, declared, errors);
        }
      } else if ("raw".equals(p.getName()) || "safe".equals(p.getName())) {
        errors.add(
            new FieldError(
                path, where + "unescaped output ('" + p.getName() + "') is not allowed"));
      }
    }
    return usesRecs;
  }

  private static boolean declared(String root, Set<String> declared) {
    if (declared.contains(root)) {
      return true;
    }
    int underscore = root.lastIndexOf('_');
    return underscore > 0 && declared.contains(root.substring(0, underscore));
  }

  /** Loop variables and {#let} names the source declares ({#each} declares "it"). */
  private static Set<String> declaredNames(String source) {
    Set<String> names = new HashSet<>();
    Matcher m = ALIAS.matcher(source);
    while (m.find()) {
      names.add(m.group(1));
    }
    if (source.contains("{#each")) {
      names.add("it");
    }
    Matcher let = LET.matcher(source);
    while (let.find()) {
      for (String assignment : let.group(1).trim().split("\\s+")) {
        int eq = assignment.indexOf('=');
        if (eq > 0) {
          names.add(assignment.substring(0, eq));
        }
      }
    }
    return names;
  }

  private static String at(TemplateNode.Origin origin) {
    return origin == null
        ? ""
        : "line " + origin.getLine() + ", column " + (origin.getLineCharacterStart()) + ": ";
  }

  private static String message(TemplateException e) {
    String m = e.getMessage() == null ? "syntax error" : e.getMessage();
    // Qute prefixes messages with the template id and position already given above
    int idx = m.indexOf("]: ");
    m = idx >= 0 && idx < 120 ? m.substring(idx + 3) : m;
    return m.replaceAll("\\s+", " ").trim();
  }

  /** Checks a whole template document: fields, required fields, locales. */
  public Map<String, Map<String, Map<String, Compiled>>> compileAll(
      TemplateDocument doc,
      List<String> requiredFields,
      String defaultLocale,
      List<FieldError> errors) {
    Map<String, Map<String, Map<String, Compiled>>> out = new java.util.LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    for (int v = 0; v < doc.variants().size(); v++) {
      TemplateDocument.Variant variant = doc.variants().get(v);
      String vp = "variants[" + v + "]";
      if (variant == null || variant.id() == null || variant.locales() == null) {
        continue; // bean validation reports these
      }
      if (!ids.add(variant.id())) {
        errors.add(new FieldError(vp + ".id", "duplicate variant id '" + variant.id() + "'"));
      }
      if (!variant.locales().containsKey(defaultLocale)) {
        errors.add(
            new FieldError(
                vp + ".locales",
                "must define the default locale '" + defaultLocale + "' (the last fallback)"));
      }
      Map<String, Map<String, Compiled>> locales = new java.util.LinkedHashMap<>();
      for (var l : variant.locales().entrySet()) {
        String lp = vp + ".locales." + l.getKey();
        if (!l.getKey().matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")) {
          errors.add(new FieldError(lp, "must be a language tag such as es-MX"));
          continue;
        }
        Map<String, String> fields = l.getValue() == null ? Map.of() : l.getValue();
        for (String required : requiredFields) {
          if (!fields.containsKey(required)) {
            errors.add(
                new FieldError(lp, "missing field '" + required + "' required by the placement"));
          }
        }
        Map<String, Compiled> compiled = new java.util.LinkedHashMap<>();
        for (var f : fields.entrySet()) {
          String fp = lp + "." + f.getKey();
          if (!FIELDS.contains(f.getKey())) {
            errors.add(
                new FieldError(fp, "unknown field; use one of " + new java.util.TreeSet<>(FIELDS)));
            continue;
          }
          Compiled c = compile(fp, f.getValue(), errors);
          if (c != null) {
            compiled.put(f.getKey(), c);
          }
        }
        locales.put(Locales.normalize(l.getKey()), compiled);
      }
      out.put(variant.id(), locales);
    }
    return out;
  }
}
