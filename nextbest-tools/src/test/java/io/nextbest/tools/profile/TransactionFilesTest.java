package io.nextbest.tools.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.profile.clv.PurchaseHistories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The purchase-file reader behind {@code bin/nextbest clv-fit}, on the real CDNOW files. */
class TransactionFilesTest {
  private static final Path CDNOW = Path.of("../../shared/data/cdnow");

  @Test
  void readsTheCdnowSampleAsFaderHardieLeeSummariseIt() throws Exception {
    PurchaseHistories h =
        TransactionFiles.read(
            CDNOW.resolve("CDNOW_sample.txt"), TransactionFiles.Format.parse("cdnow"));
    PurchaseHistories.Split split = h.split(LocalDate.of(1997, 9, 30), LocalDate.of(1998, 6, 30));
    assertThat(h.customers()).isEqualTo(2357);
    assertThat(split.repeatCounts()).hasSize(946);
    assertThat(split.holdoutPurchases()).isEqualTo(1882);
    assertThat(h.lastDay()).isEqualTo(LocalDate.of(1998, 6, 30));
  }

  @Test
  void readsTheCdnowMasterFileWithItsHeaderAndSingleId() throws Exception {
    PurchaseHistories h =
        TransactionFiles.read(CDNOW.resolve("CDNOW_master.txt"), TransactionFiles.Format.CDNOW);
    assertThat(h.customers()).isEqualTo(23_570);
  }

  @Test
  void onlineRetailKeepsPurchasesOnly(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("retail.csv");
    Files.write(
        file,
        List.of(
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
            "536365,85123A,HEART HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom",
            "C536379,D,Discount,-1,2010-12-01 09:41:00,27.50,14527.0,United Kingdom",
            "536414,22139,RETROSPOT TEA SET,56,2010-12-01 11:52:00,0.00,,United Kingdom",
            "536366,22633,HAND WARMER,6,2010-12-02 08:28:00,1.85,17850.0,United Kingdom"));
    PurchaseHistories h = TransactionFiles.read(file, TransactionFiles.Format.ONLINE_RETAIL);
    assertThat(h.customers()).isEqualTo(1);
    PurchaseHistories.Split split = h.split(LocalDate.of(2010, 12, 2), LocalDate.of(2010, 12, 2));
    assertThat(split.repeatCounts()).containsExactly(1);
    assertThat(split.repeatMeans()).containsExactly(6 * 1.85);
  }

  @Test
  void refusesAnUnknownFormat() {
    assertThatThrownBy(() -> TransactionFiles.Format.parse("excel"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cdnow or online-retail");
  }
}
