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
 * Checks and compiles template fields. A field is a Qute template over a closed data model, the
 * {@link TemplateModel} the renderer fills: {@code profile}, {@code recs}, {@code campaign} and
 * {@code locale} with their declared fields only; loop variables it declares itself; a handful of
 * safe operators. Namespaces ({@code config:}, {@code inject:}), includes, {@code #eval} and
 * unescaped output are refused, so a template cannot reach Java classes, configuration, files or
 * the network. On save each field is also rendered for the model's trial visitors, so what passes
 * renders for every customer, known or anonymous, with or without each profile field.
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

  /** Profile fields templates may use ({@link TemplateModel#PROFILE}). */
  public static final Set<String> PROFILE_FIELDS = TemplateModel.PROFILE.keySet();

  private static final Set<String> ROOTS = TemplateModel.ROOTS;
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
  private static final java.util.regex.Pattern REC_ALIAS =
      java.util.regex.Pattern.compile(
          "\\{#for\\s+([A-Za-z_]\\w*)\\s+in\\s+recs(?:\\.take\\([^)]*\\))?\\s*}");
  private static final java.util.regex.Pattern ALIAS =
      java.util.regex.Pattern.compile("\\{#(?:for|each)\\s+([A-Za-z_]\\w*)\\s+in\\b");

  /** The longest loop over a number a template may write, and how deep loops may nest. */
  static final int MAX_LOOP_COUNT = 100;

  static final int MAX_LOOP_DEPTH = 2;

  /** Numeric profile fields: a loop over one would repeat as often as the number says. */
  private static final Set<String> NUMERIC_PROFILE_FIELDS =
      TemplateModel.PROFILE.entrySet().stream()
          .filter(f -> f.getValue() == TemplateModel.Kind.NUMBER)
          .map(Map.Entry::getKey)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private static final java.util.regex.Pattern LET =
      java.util.regex.Pattern.compile("\\{#let\\s+([^}]*)}");

  private final Engine engine;

  public TemplateChecker(Engine engine) {
    this.engine = engine;
  }

  /** The most characters one field may render to; a template that writes more fails. */
  public static final int MAX_OUTPUT = 100_000;

  /** A field compiled: its template and whether it needs recommendations. */
  public record Compiled(Template template, boolean usesRecs) {
    /**
     * Renders the field over {@code data} ({@link TemplateModel#data}). Output past {@link
     * #MAX_OUTPUT} stops rendering there and fails with a {@link TemplateException}, however the
     * field's loops were written.
     */
    public String render(Map<String, Object> data) {
      var instance = template.instance();
      data.forEach(instance::data);
      StringBuilder b = new StringBuilder(256);
      try {
        instance
            .consume(
                chunk -> {
                  if (b.length() + chunk.length() > MAX_OUTPUT) {
                    throw new TemplateException(
                        "the field renders to more than " + MAX_OUTPUT + " characters");
                  }
                  b.append(chunk);
                })
            .toCompletableFuture()
            .join();
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof TemplateException t
            ? t
            : new TemplateException(e.getCause() == null ? e : e.getCause());
      } catch (TemplateException e) {
        throw e;
      } catch (RuntimeException e) {
        // e.g. an index out of range: a failed render like any other, never a failed request
        throw new TemplateException(e);
      }
      return b.toString();
    }
  }

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
    Set<String> recAliases = new HashSet<>();
    Matcher recs = REC_ALIAS.matcher(source);
    while (recs.find()) {
      recAliases.add(recs.group(1));
    }
    // a name that also loops over something else is not checked as a recommendation
    Matcher loops = ALIAS.matcher(source);
    Set<String> seen = new HashSet<>();
    while (loops.find()) {
      if (!seen.add(loops.group(1))) {
        recAliases.remove(loops.group(1));
      }
    }
    boolean usesRecs = false;
    for (Expression e : template.getExpressions()) {
      usesRecs |= check(path, e, declared, recAliases, errors);
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

  private boolean check(
      String path,
      Expression e,
      Set<String> declared,
      Set<String> recAliases,
      List<FieldError> errors) {
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
    } else if ("campaign".equals(root)
        && parts.size() > 1
        && !parts.get(1).isVirtualMethod()
        && !TemplateModel.CAMPAIGN.contains(parts.get(1).getName())) {
      errors.add(
          new FieldError(
              path,
              where
                  + "undefined variable 'campaign."
                  + parts.get(1).getName()
                  + "'; campaign fields are "
                  + new java.util.TreeSet<>(TemplateModel.CAMPAIGN)));
    } else if (recAliases.contains(root)
        && parts.size() > 1
        && !parts.get(1).isVirtualMethod()
        && !TemplateModel.REC.contains(parts.get(1).getName())) {
      errors.add(
          new FieldError(
              path,
              where
                  + "undefined variable '"
                  + root
                  + "."
                  + parts.get(1).getName()
                  + "'; a recommendation's fields are "
                  + new java.util.TreeSet<>(TemplateModel.REC)));
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
          usesRecs |= check(path, param, declared, recAliases, errors);
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

  private static final List<TemplateModel.Trial> TRIALS = TemplateModel.trials();

  /**
   * Renders a compiled field for each {@link TemplateModel#trials() trial visitor}; the first one
   * it fails for is an error. So a field that passes renders for every customer, known or
   * anonymous, with or without each profile field.
   */
  void renderTrials(String path, Compiled compiled, List<FieldError> errors) {
    for (TemplateModel.Trial trial : TRIALS) {
      try {
        compiled.render(trial.data());
      } catch (TemplateException e) {
        errors.add(
            new FieldError(
                path,
                at(e.getOrigin())
                    + "does not render for "
                    + trial.visitor()
                    + ": "
                    + message(e)
                    + "; a field a customer lacks is empty (null, an empty list or map): give it"
                    + " a default ({profile.clv ?: 0}) or test it first ({#if profile.clv}...{/if})"));
        return;
      }
    }
  }

  /**
   * Checks a whole template document: fields, required fields, locales; with {@code renderTrials}
   * (when a template is saved) each field is also rendered for every {@link TemplateModel#trials()
   * trial visitor}.
   */
  public Map<String, Map<String, Map<String, Compiled>>> compileAll(
      TemplateDocument doc,
      List<String> requiredFields,
      String defaultLocale,
      boolean renderTrials,
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
          if (c != null && renderTrials) {
            renderTrials(fp, c, errors);
          }
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
