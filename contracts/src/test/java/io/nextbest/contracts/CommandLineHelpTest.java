package io.nextbest.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bin/nextbest help} lists every command the script takes, each on one line. */
class CommandLineHelpTest {
  private static final Path SCRIPT =
      Path.of("..").toAbsolutePath().normalize().resolve("bin/nextbest");

  /** The commands of the script's top-level case (two-space indented labels), aliases dropped. */
  private static Set<String> commands() throws Exception {
    Set<String> out = new LinkedHashSet<>();
    String script = Files.readString(SCRIPT);
    String dispatch = script.substring(script.lastIndexOf("\ncase \"$cmd\" in"));
    Matcher m = Pattern.compile("(?m)^  ([a-z_][a-z-]*)(?: \\| [^)]*)?\\)").matcher(dispatch);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static List<String> help() throws Exception {
    Process p =
        new ProcessBuilder("bash", SCRIPT.toString(), "help").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return Arrays.asList(out.split("\n"));
  }

  @Test
  void everyCommandHasOneLine() throws Exception {
    Set<String> commands = commands();
    assertThat(commands).contains("up", "test", "token", "bad-input", "groups-to-end", "help");
    List<String> entries =
        help().stream().filter(l -> l.startsWith("  ") && !l.startsWith("   ")).toList();
    List<String> listed = entries.stream().map(l -> l.trim().split("\\s+")[0]).toList();
    assertThat(listed).as("commands in the help").containsExactlyInAnyOrderElementsOf(commands);
    assertThat(listed).as("one line per command").doesNotHaveDuplicates();
    assertThat(help()).as("no continuation lines").noneMatch(l -> l.startsWith("   "));
    assertThat(entries).allMatch(l -> l.length() <= 110, "fits a terminal");
  }
}
