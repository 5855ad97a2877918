package io.nextbest.tools.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the Online Retail lines become purchases, returns and refunds. */
class OnlineRetailOrdersTest {
  private static final String HEADERLESS_ORDER =
      """
      536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom
      536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850,United Kingdom
      """;

  private static OnlineRetailOrders.Grouped group(String lines) {
    OnlineRetailOrders orders = new OnlineRetailOrders(false);
    lines.lines().forEach(orders::add);
    return orders.group();
  }

  @Test
  void anInvoiceIsOnePurchaseWithItsLinesAndTheirValue() {
    var g = group(HEADERLESS_ORDER);
    assertThat(g.events()).hasSize(1);
    var e = g.events().get(0);
    assertThat(e.type()).isEqualTo("purchase");
    assertThat(e.eventId()).isEqualTo("online-retail:536365");
    assertThat(e.customerId()).isEqualTo("or-17850");
    assertThat(e.orderId()).isEqualTo("536365");
    assertThat(e.amount()).isEqualByComparingTo(new BigDecimal("35.64"));
    assertThat(e.items()).hasSize(2);
    assertThat(g.latest()).isEqualTo(Instant.parse("2010-12-01T08:26:00Z"));
  }

  @Test
  void aCancellationIsAReturnOfTheLatestEarlierOrderHoldingThatStockCode() {
    var g =
        group(
            HEADERLESS_ORDER
                + """
                536400,85123A,WHITE HANGING HEART,2,2010-12-02 09:00:00,2.55,17850,United Kingdom
                C536500,85123A,WHITE HANGING HEART,-2,2010-12-03 10:00:00,2.55,17850,United Kingdom
                C536500,71053,WHITE METAL LANTERN,-1,2010-12-03 10:00:00,3.39,17850,United Kingdom
                """);
    assertThat(g.purchases()).isEqualTo(2);
    List<OnlineRetailOrders.Event> returns =
        g.events().stream().filter(e -> e.type().equals("return")).toList();
    assertThat(returns)
        .extracting(OnlineRetailOrders.Event::orderId)
        .containsExactlyInAnyOrder("536400", "536365");
    var heart =
        returns.stream().filter(r -> r.orderId().equals("536400")).findFirst().orElseThrow();
    assertThat(heart.amount()).isEqualByComparingTo(new BigDecimal("5.10"));
    assertThat(heart.items().get(0).quantity()).isEqualTo(2);
    assertThat(heart.reason()).isEqualTo("cancelled");
    assertThat(heart.eventId()).isEqualTo("online-retail:C536500:536400");
    assertThat(g.unlinkedReturns()).isZero();
    // a return is never before the purchase it gives back
    assertThat(g.events().get(g.events().size() - 1).type()).isEqualTo("return");
  }

  @Test
  void negativeLinesOfAnOrdinaryInvoiceAreAReturnOnThatOrder() {
    var g =
        group(
            HEADERLESS_ORDER
                + "536365,22752,SET 7 BABUSHKA,-1,2010-12-01 08:26:00,7.65,17850,United Kingdom\n");
    assertThat(g.purchases()).isEqualTo(1);
    var back = g.events().stream().filter(e -> !e.type().equals("purchase")).toList();
    assertThat(back).hasSize(1);
    assertThat(back.get(0).orderId()).isEqualTo("536365");
    assertThat(back.get(0).reason()).isEqualTo("returned");
    assertThat(back.get(0).amount()).isEqualByComparingTo(new BigDecimal("7.65"));
    assertThat(g.events().get(0).amount()).isEqualByComparingTo(new BigDecimal("35.64"));
  }

  @Test
  void aCancellationOfNoKnownOrderIsCountedAndKeepsItsOwnInvoiceAsOrder() {
    var g =
        group("C536379,22556,PLASTERS IN TIN,-12,2010-12-01 09:41:00,1.65,14527,United Kingdom\n");
    assertThat(g.unlinkedReturns()).isEqualTo(1);
    assertThat(g.events().get(0).orderId()).isEqualTo("C536379");
  }

  @Test
  void discountsAndFeesGivenBackAreRefundsNotReturnsOfGoods() {
    var g =
        group(
            HEADERLESS_ORDER
                + "C536379,D,Discount,-1,2010-12-01 09:41:00,27.50,17850,United Kingdom\n");
    assertThat(g.events().get(1).type()).isEqualTo("refund");
  }

  @Test
  void guestOrdersAreSkippedAndCountedMalformedLinesRejected() {
    var g =
        group(
            HEADERLESS_ORDER
                + """
                536414,22139,RETROSPOT TEA SET,56,2010-12-01 11:52:00,0.0,,United Kingdom
                536414,22140,RETROSPOT CAKE SET,5,2010-12-01 11:52:00,1.0,,United Kingdom
                A563185,B,Adjust bad debt,1,2011-08-12 14:50:00,-11062.06,,United Kingdom
                not,a,line
                """);
    assertThat(g.purchases()).isEqualTo(1);
    assertThat(g.guestOrders()).isEqualTo(1);
    assertThat(g.guestLines()).isEqualTo(2);
    assertThat(g.rejectedLines()).isEqualTo(2);
  }

  @Test
  void guestOrdersCanBeKeptAsAnonymousVisitors() {
    OnlineRetailOrders orders = new OnlineRetailOrders(true);
    orders.add("536414,22139,RETROSPOT TEA SET,56,2010-12-01 11:52:00,0.5,,United Kingdom");
    var g = orders.group();
    assertThat(g.guestOrders()).isEqualTo(1);
    assertThat(g.events())
        .extracting(OnlineRetailOrders.Event::customerId)
        .containsExactly("or-guest-536414");
  }

  @Test
  void anOrderOfMoreLinesThanTheApiTakesKeepsItsWholeAmount() {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < OnlineRetailOrders.MAX_ITEMS + 10; i++) {
      lines.append("536999,").append(10000 + i).append(",X,1,2010-12-05 10:00:00,1.0,12345,UK\n");
    }
    var g = group(lines.toString());
    assertThat(g.events().get(0).items()).hasSize(OnlineRetailOrders.MAX_ITEMS);
    assertThat(g.events().get(0).amount())
        .isEqualByComparingTo(BigDecimal.valueOf(OnlineRetailOrders.MAX_ITEMS + 10));
    assertThat(g.cappedOrders()).isEqualTo(1);
  }

  private static String invoiceLine(int invoice, int customer, String at) {
    return invoice + ",85123A,WHITE HANGING HEART,1," + at + ",2.00," + customer + ",UK";
  }

  @Test
  void invoicesLeaveWhileTheFileIsReadAndASplitInvoiceStaysOneOrder() {
    OnlineRetailOrders orders = new OnlineRetailOrders(false);
    orders.add(invoiceLine(540000, 100, "2011-01-04 10:00:00"));
    orders.add(invoiceLine(540001, 101, "2011-01-04 10:01:00"));
    // the first invoice goes on after another one started (the data set has such a split)
    orders.add(invoiceLine(540000, 100, "2011-01-04 10:01:00"));
    for (int i = 2; i < OnlineRetailOrders.OPEN_INVOICES + 1; i++) {
      orders.add(invoiceLine(540000 + i, 100 + i, "2011-01-04 11:00:00"));
    }
    List<OnlineRetailOrders.Event> early = orders.drain();
    assertThat(early)
        .as(
            "the eldest invoice leaves once %d newer ones are open",
            OnlineRetailOrders.OPEN_INVOICES)
        .hasSize(1);
    assertThat(early.get(0).eventId()).isEqualTo("online-retail:540000");
    assertThat(early.get(0).items()).hasSize(2);
    assertThat(early.get(0).amount()).isEqualByComparingTo("4.00");
    assertThat(orders.drain()).as("taken once").isEmpty();
    // a part that comes back after its invoice left is an event of its own, not a duplicate
    orders.add(invoiceLine(540000, 100, "2011-01-05 09:00:00"));
    orders.finish();
    List<OnlineRetailOrders.Event> rest = orders.drain();
    assertThat(rest).hasSize(OnlineRetailOrders.OPEN_INVOICES + 1);
    assertThat(rest.get(rest.size() - 1).eventId()).isEqualTo("online-retail:540000:part2");
    assertThat(orders.totals().events()).isEmpty();
    assertThat(orders.totals().latest()).isEqualTo(Instant.parse("2011-01-05T09:00:00Z"));
  }
}
