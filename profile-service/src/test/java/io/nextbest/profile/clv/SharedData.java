package io.nextbest.profile.clv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

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

  /**
   * The CDNOW sample (Hardie's data sets) as purchase histories: per line a master id, a sample id,
   * the day (YYYYMMDD), the number of CDs and the dollar value.
   */
  static PurchaseHistories cdnowSample() throws IOException {
    PurchaseHistories histories = new PurchaseHistories();
    for (String line : Files.readAllLines(file("cdnow/CDNOW_sample.txt"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 5) {
        histories.add(
            f[0],
            LocalDate.parse(f[2], DateTimeFormatter.BASIC_ISO_DATE),
            Double.parseDouble(f[4]));
      }
    }
    return histories;
  }
}
