package io.nextbest.tools.profile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options and positional arguments of the data commands. */
final class CliArgs {
  private final Map<String, String> options = new HashMap<>();
  private final List<String> positional = new java.util.ArrayList<>();

  CliArgs(String[] args) {
    this(args, Set.of());
  }

  /**
   * @param flags options that take no value ({@code --refit FILE}: FILE stays positional)
   */
  CliArgs(String[] args, Set<String> flags) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--")) {
        int eq = a.indexOf('=');
        if (eq > 0) {
          options.put(a.substring(2, eq), a.substring(eq + 1));
        } else if (flags.contains(a.substring(2))) {
          options.put(a.substring(2), "true");
        } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
          options.put(a.substring(2), args[++i]);
        } else {
          options.put(a.substring(2), "true");
        }
      } else {
        positional.add(a);
      }
    }
  }

  String get(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  String require(String name) {
    String v = options.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return v;
  }

  List<String> positional() {
    return positional;
  }
}
