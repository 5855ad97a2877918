package io.nextbest.profile.clv;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real data sets in the shared folder beside the repository. */
final class SharedData {
  private SharedData() {}

  static Path file(String relative) {
    for (String base : new String[] {"../../shared/data", "../shared/data", "shared/data"}) {
      Path p = Path.of(base, relative);
      if (Files.exists(p)) {
        return p;
      }
    }
    throw new IllegalStateException("shared data set not found: " + relative);
  }
}
