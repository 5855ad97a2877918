package io.nextbest.tools.profile;

import io.nextbest.profile.clv.PurchaseHistories;
import io.nextbest.tools.common.OnlineRetailLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.zip.GZIPInputStream;

/** Reads purchase files into {@link PurchaseHistories}. */
public final class TransactionFiles {
  private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;

  private TransactionFiles() {}

  /** Supported layouts. */
  public enum Format {
    /**
     * CDNOW (Hardie's data sets): whitespace-separated customer id(s), date YYYYMMDD, number of
     * CDs, dollar value; the sample file has a master and a sample id, the master file one id and a
     * header.
     */
    CDNOW,
    /**
     * UCI Online Retail CSV: invoice lines with quantity × unit price; cancellations, returns and
     * lines without a customer are skipped.
     */
    ONLINE_RETAIL;

    public static Format parse(String name) {
      return switch (name.toLowerCase(java.util.Locale.ROOT)) {
        case "cdnow" -> CDNOW;
        case "online-retail" -> ONLINE_RETAIL;
        default ->
            throw new IllegalArgumentException(
                "unknown format '" + name + "': use cdnow or online-retail");
      };
    }
  }

  public static PurchaseHistories read(Path file, Format format) throws IOException {
    PurchaseHistories histories = new PurchaseHistories();
    try (BufferedReader in = open(file)) {
      switch (format) {
        case CDNOW -> readCdnow(in, histories);
        case ONLINE_RETAIL -> readOnlineRetail(in, histories);
      }
    }
    return histories;
  }

  static BufferedReader open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      raw = new GZIPInputStream(raw, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8), 1 << 16);
  }

  private static void readCdnow(BufferedReader in, PurchaseHistories out) throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 4 || !Character.isDigit(f[0].charAt(0))) {
        continue; // header or blank line
      }
      // sample file: master id, sample id, date, cds, value; master file: id, date, cds, value
      int date = f.length >= 5 ? 2 : 1;
      out.add(f[0], LocalDate.parse(f[date], BASIC), Double.parseDouble(f[date + 2]));
    }
  }

  private static void readOnlineRetail(BufferedReader in, PurchaseHistories out)
      throws IOException {
    in.readLine(); // header
    String line;
    while ((line = in.readLine()) != null) {
      OnlineRetailLine r = OnlineRetailLine.parse(line);
      if (r != null && r.isPurchase()) {
        out.add(r.customerId(), r.at().toLocalDate(), r.quantity() * r.unitPrice());
      }
    }
  }
}
