package io.nextbest.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module graph and each service's layers, read from the main sources' imports: models → events
 * and common → services → tools, never back; inside a service, only {@code rest/} imports the REST
 * layer, tables' owners ({@code repository/}) import nothing above {@code domain/}, and {@code
 * domain/} imports no other package of its service.
 */
class LayeringTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> SERVICES =
      List.of("profile", "eligibility", "decision", "content");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?([\\w.]+)\\.[\\w*]+;", Pattern.MULTILINE);

  /** One main source file's package and the packages it imports. */
  record Source(Path file, String pkg, List<String> imports) {}

  @Test
  void modelsArePlainJavaOnEventsAlone() {
    List<String> offending = new ArrayList<>();
    for (Source s : sources("nextbest-models")) {
      for (String i : s.imports()) {
        if (i.startsWith("io.quarkus")
            || i.startsWith("jakarta.")
            || i.startsWith("io.vertx")
            || i.startsWith("io.smallrye")
            || (i.startsWith("io.nextbest.")
                && !i.startsWith("io.nextbest.models")
                && !i.startsWith("io.nextbest.events"))) {
          offending.add(s.file().getFileName() + " imports " + i);
        }
      }
    }
    assertThat(offending).isEmpty();
  }

  @Test
  void sharedModulesImportNoServiceAndNoTool() {
    List<String> offending = new ArrayList<>();
    for (String module : List.of("nextbest-events", "nextbest-models", "nextbest-common")) {
      for (Source s : sources(module)) {
        for (String i : s.imports()) {
          boolean service = SERVICES.stream().anyMatch(svc -> i.startsWith("io.nextbest." + svc));
          if (service || i.startsWith("io.nextbest.tools")) {
            offending.add(module + ": " + s.file().getFileName() + " imports " + i);
          }
        }
      }
    }
    assertThat(offending).isEmpty();
  }

  @Test
  void servicesImportNoToolAndNoOtherService() {
    List<String> offending = new ArrayList<>();
    for (String svc : SERVICES) {
      for (Source s : sources(svc + "-service")) {
        for (String i : s.imports()) {
          boolean other =
              SERVICES.stream()
                  .anyMatch(o -> !o.equals(svc) && i.startsWith("io.nextbest." + o + "."));
          if (other || i.startsWith("io.nextbest.tools")) {
            offending.add(svc + ": " + s.file().getFileName() + " imports " + i);
          }
        }
      }
    }
    assertThat(offending).isEmpty();
  }

  @Test
  void layersInsideEachServicePointInward() {
    List<String> offending = new ArrayList<>();
    for (String svc : SERVICES) {
      String base = "io.nextbest." + svc + ".";
      for (Source s : sources(svc + "-service")) {
        String layer = layer(base, s.pkg());
        for (String i : s.imports()) {
          if (!i.startsWith(base)) {
            continue;
          }
          String target = layer(base, i);
          boolean allowed =
              switch (target) {
                case "rest" -> layer.equals("rest");
                default ->
                    switch (layer) {
                      case "domain" -> target.equals("domain") || target.isEmpty();
                      case "repository" ->
                          target.equals("repository")
                              || target.equals("domain")
                              || target.isEmpty();
                      default -> true;
                    };
              };
          if (!allowed) {
            offending.add(svc + ": " + layer + "/" + s.file().getFileName() + " imports " + i);
          }
        }
      }
    }
    assertThat(offending).isEmpty();
  }

  @Test
  void everySourceWasRead() {
    for (String svc : SERVICES) {
      assertThat(sources(svc + "-service")).hasSizeGreaterThan(20);
    }
    assertThat(sources("nextbest-models")).hasSizeGreaterThan(10);
  }

  /** The first package segment under the service's root ("" for the root itself). */
  private static String layer(String base, String pkg) {
    if (!pkg.startsWith(base)) {
      return "";
    }
    String rest = pkg.substring(base.length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  private static List<Source> sources(String module) {
    Path dir = ROOT.resolve(module).resolve("src/main/java");
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".java")).map(LayeringTest::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Source read(Path file) {
    try {
      String text = Files.readString(file);
      Matcher pkg = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(text);
      String name = pkg.find() ? pkg.group(1) : "";
      List<String> imports = new ArrayList<>();
      Matcher m = IMPORT.matcher(text);
      while (m.find()) {
        imports.add(m.group(1));
      }
      return new Source(file, name, imports);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
