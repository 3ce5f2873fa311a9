package com.edgeinventory.retail.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.retail.service.TransactionState.Line;
import com.edgeinventory.retail.service.TransactionState.Status;
import com.edgeinventory.retail.service.Transitions.Change;
import com.edgeinventory.retail.service.Transitions.Decision;
import com.edgeinventory.retail.service.Transitions.LineRequest;
import com.edgeinventory.retail.service.Transitions.Rejection;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransitionsTest {

    static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");
    static final Duration IDLE = Duration.ofMinutes(15);
    static final ProductInfo SHOE = new ProductInfo("TR-RUN-42-BLU", "Trail Runner 42", new BigDecimal("89.90"), "EUR",
            "TR-RUN", 1, "running-shoes", "42");
    static final ProductInfo SOCK = new ProductInfo("SOCK-1", "Sock", new BigDecimal("5.00"), "EUR", null);
    static final ProductInfo YEN = new ProductInfo("SOCK-JP", "Sock", new BigDecimal("700"), "JPY", null);

    static TransactionState open(long version, Instant expiresAt, Line... lines) {
        return new TransactionState("S1", "c1", Status.OPEN, "txn-1", List.of(lines), null, version, NOW, expiresAt);
    }

    /** A line as the transitions make it: the product's category and size go with it (the sales mix). */
    static Line line(ProductInfo p, long qty) {
        return new Line(p.sku(), qty, p.price(), p.currency(), p.name(), null, p.category(), p.size());
    }

    @Test
    void aPurchaseLineKeepsTheCategoryAndSizeItWasAddedWith() {
        Change add = (Change) Transitions.addItem(Optional.empty(), "S1", "c1", "txn-new", SHOE, 1, NOW, IDLE);
        Change checkout = (Change) Transitions.checkout(add.next(), "p-1", "POS-1", NOW);

        assertThat(checkout.purchase().orElseThrow().lines()).extracting(l -> l.category() + "/" + l.size())
                .containsExactly("running-shoes/42");
        assertThat(((Change) Transitions.sale(List.of(new Transitions.LineRequest(SOCK.sku(), 1)),
                java.util.Map.of(SOCK.sku(), SOCK), "p-2", "S1", "POS-1", null, NOW)).purchase().orElseThrow().lines())
                .extracting(l -> l.category() + "/" + l.size()).as("a product that says none").containsExactly("null/null");
    }

    @Test
    void theFirstAddOpensATransactionAndReserves() {
        Change c = (Change) Transitions.addItem(Optional.empty(), "S1", "c1", "txn-new", SHOE, 2, NOW, IDLE);

        assertThat(c.expectedVersion()).isZero();
        assertThat(c.next().orElseThrow().version()).isEqualTo(1);
        assertThat(c.next().orElseThrow().txnId()).isEqualTo("txn-new");
        assertThat(c.next().orElseThrow().expiresAt()).isEqualTo(NOW.plus(IDLE));
        assertThat(c.moves()).containsExactly(new StockMove(SHOE.sku(), -2, 2, 0));
        assertThat(c.reply().status()).isEqualTo(201);
    }

    static final ProductInfo DROP = new ProductInfo("DROP-44", "Drop 44", new BigDecimal("199.00"), "EUR", null, 8);

    @Test
    void aHotSkuLineKeepsOneShardFromItsFirstAddToCheckoutCancelAndExpiry() {
        Change first = (Change) Transitions.addItem(Optional.empty(), "S1", "c1", "txn-new", DROP, 1, NOW, IDLE);
        Integer shard = first.next().orElseThrow().lines().getFirst().shard();
        Change again = (Change) Transitions.addItem(first.next(), "S1", "c1", "t", DROP, 2, NOW, IDLE);
        TransactionState s = again.next().orElseThrow();

        assertThat(shard).isEqualTo(DROP.shardFor("S1#c1")).isBetween(0, 7);
        assertThat(first.moves()).containsExactly(new StockMove("DROP-44", shard, -1, 1, 0));
        assertThat(again.moves()).containsExactly(new StockMove("DROP-44", shard, -2, 2, 0));
        assertThat(s.lines()).containsExactly(new Line("DROP-44", 3, DROP.price(), "EUR", "Drop 44", shard));
        assertThat(((Change) Transitions.checkout(Optional.of(s), "p1", "POS-01", NOW)).moves())
                .containsExactly(new StockMove("DROP-44", shard, 0, -3, 3));
        assertThat(((Change) Transitions.cancel(Optional.of(s), NOW)).moves())
                .containsExactly(new StockMove("DROP-44", shard, 3, -3, 0));
        assertThat(Transitions.expire(s, s.expiresAt().plusSeconds(1)).orElseThrow().moves())
                .containsExactly(new StockMove("DROP-44", shard, 3, -3, 0));
        // An unsharded sku stays on its product item.
        assertThat(((Change) Transitions.addItem(Optional.empty(), "S1", "c1", "t", SHOE, 1, NOW, IDLE)).moves())
                .containsExactly(new StockMove(SHOE.sku(), null, -1, 1, 0));
    }

    @Test
    void salesOfAHotSkuSpreadOverItsShardsByPurchase() {
        java.util.Set<Integer> shards = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            Change sale = (Change) Transitions.sale(List.of(new Transitions.LineRequest("DROP-44", 1)),
                    java.util.Map.of("DROP-44", DROP), "purchase-" + i, "S1", "POS-01", null, NOW);
            StockMove move = sale.moves().getFirst();
            assertThat(move).isEqualTo(new StockMove("DROP-44", DROP.shardFor("purchase-" + i), -1, 0, 1));
            shards.add(move.shard());
        }
        assertThat(shards).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void aCustomerNamedWhenAddingStaysWithTheTransactionAndAnotherIsRefused() {
        Change first = (Change) Transitions.addItem(Optional.empty(), "S1", "c1", "txn-new", SHOE, 1, "cust-1", NOW, IDLE);
        TransactionState s = first.next().orElseThrow();

        Change again = (Change) Transitions.addItem(Optional.of(s), "S1", "c1", "t", SHOE, 1, null, NOW, IDLE);
        Decision other = Transitions.addItem(Optional.of(s), "S1", "c1", "t", SHOE, 1, "cust-2", NOW, IDLE);

        assertThat(s.customerId()).isEqualTo("cust-1");
        assertThat(again.next().orElseThrow().customerId()).isEqualTo("cust-1");
        assertThat(other).isInstanceOfSatisfying(Rejection.class, r -> {
            assertThat(r.reply().status()).isEqualTo(409);
            assertThat(r.reply().body()).contains("customer-mismatch");
        });
    }

    @Test
    void addingTheSameSkuAgainGrowsItsLineAtTheFirstPrice() {
        TransactionState s = open(3, NOW.plusSeconds(60), line(SHOE, 2));
        ProductInfo repriced = new ProductInfo(SHOE.sku(), SHOE.name(), new BigDecimal("99.00"), "EUR", "TR-RUN");

        Change c = (Change) Transitions.addItem(Optional.of(s), "S1", "c1", "txn-new", repriced, 3, NOW, IDLE);

        assertThat(c.next().orElseThrow().lines()).containsExactly(new Line(SHOE.sku(), 5, new BigDecimal("89.90"), "EUR", SHOE.name(), null,
                "running-shoes", "42"));
        assertThat(c.expectedVersion()).isEqualTo(3);
        assertThat(c.reply().status()).isEqualTo(200);
    }

    @Test
    void anAddToAnExpiredTransactionReleasesItInTheSameWrite() {
        TransactionState s = open(3, NOW.minusSeconds(1), line(SHOE, 2), line(SOCK, 1));

        Change c = (Change) Transitions.addItem(Optional.of(s), "S1", "c1", "txn-new", SHOE, 1, NOW, IDLE);

        // release 2 and reserve 1 of the same sku merge into one move on its item
        assertThat(c.moves()).containsExactly(new StockMove(SHOE.sku(), 1, -1, 0), StockMove.release(SOCK.sku(), 1));
        assertThat(c.next().orElseThrow().txnId()).isEqualTo("txn-new");
        assertThat(c.next().orElseThrow().lines()).containsExactly(line(SHOE, 1));
        assertThat(c.reply().status()).isEqualTo(201);
    }

    @Test
    void anotherCurrencyIsRejected() {
        Decision d = Transitions.addItem(Optional.of(open(1, NOW.plusSeconds(9), line(SOCK, 1))), "S1", "c1", "t", YEN,
                1, NOW, IDLE);
        assertThat(d).isInstanceOf(Rejection.class);
        assertThat(((Rejection) d).reply().status()).isEqualTo(409);
    }

    @Test
    void checkoutCommitsEveryLineAndRecordsThePurchase() {
        TransactionState s = open(4, NOW.plusSeconds(60), line(SHOE, 2), line(SOCK, 3));

        Change c = (Change) Transitions.checkout(Optional.of(s), "p-1", "POS-01", NOW);

        assertThat(c.moves()).containsExactly(StockMove.commit(SHOE.sku(), 2), StockMove.commit(SOCK.sku(), 3));
        assertThat(c.next().orElseThrow().status()).isEqualTo(Status.CHECKED_OUT);
        assertThat(c.purchase().orElseThrow().total()).isEqualByComparingTo("194.80");
        assertThat(c.expectedVersion()).isEqualTo(4);
    }

    @Test
    void checkoutOfAnExpiredTransactionReleasesAndAnswers409() {
        TransactionState s = open(4, NOW.minusSeconds(1), line(SHOE, 2));

        Change c = (Change) Transitions.checkout(Optional.of(s), "p-1", "POS-01", NOW);

        assertThat(c.moves()).containsExactly(StockMove.release(SHOE.sku(), 2));
        assertThat(c.next().orElseThrow().status()).isEqualTo(Status.EXPIRED);
        assertThat(c.purchase()).isEmpty();
        assertThat(c.reply().status()).isEqualTo(409);
    }

    @Test
    void closedOrMissingTransactionsAreRejectedWithoutWrites() {
        TransactionState closed = new TransactionState("S1", "c1", Status.CANCELLED, "t", List.of(), null, 2, NOW, NOW);
        assertThat(Transitions.checkout(Optional.of(closed), "p", "d", NOW)).isInstanceOf(Rejection.class);
        assertThat(Transitions.cancel(Optional.of(closed), NOW)).isInstanceOf(Rejection.class);
        assertThat(Transitions.removeItem(Optional.of(closed), SHOE.sku(), NOW, IDLE)).isInstanceOf(Rejection.class);
        assertThat(Transitions.checkout(Optional.empty(), "p", "d", NOW))
                .extracting(d -> ((Rejection) d).reply().status()).isEqualTo(404);
        assertThat(Transitions.checkout(Optional.of(open(1, NOW.plusSeconds(5))), "p", "d", NOW))
                .extracting(d -> ((Rejection) d).reply().status()).isEqualTo(409);
    }

    @Test
    void removeReleasesOnlyThatLine() {
        TransactionState s = open(2, NOW.plusSeconds(60), line(SHOE, 2), line(SOCK, 3));

        Change c = (Change) Transitions.removeItem(Optional.of(s), SOCK.sku(), NOW, IDLE);

        assertThat(c.moves()).containsExactly(StockMove.release(SOCK.sku(), 3));
        assertThat(c.next().orElseThrow().lines()).containsExactly(line(SHOE, 2));
        assertThat(((Rejection) Transitions.removeItem(Optional.of(s), "NOPE-1", NOW, IDLE)).reply().status()).isEqualTo(404);
    }

    @Test
    void theSweeperExpiresOnlyIdleOpenTransactions() {
        assertThat(Transitions.expire(open(1, NOW.plusSeconds(1), line(SHOE, 1)), NOW)).isEmpty();
        Change c = Transitions.expire(open(7, NOW.minusSeconds(1), line(SHOE, 1)), NOW).orElseThrow();
        assertThat(c.expectedVersion()).isEqualTo(7);
        assertThat(c.moves()).containsExactly(StockMove.release(SHOE.sku(), 1));
    }

    @Test
    void aSaleMergesLinesOfOneSkuAndSellsFromAvailable() {
        Change c = (Change) Transitions.sale(List.of(new LineRequest(SHOE.sku(), 1), new LineRequest(SOCK.sku(), 2),
                        new LineRequest(SHOE.sku(), 2)), Map.of(SHOE.sku(), SHOE, SOCK.sku(), SOCK), "p-1", "S1", "POS-01",
                null, NOW);

        assertThat(c.next()).isEmpty();
        assertThat(c.moves()).containsExactly(StockMove.sell(SHOE.sku(), 3), StockMove.sell(SOCK.sku(), 2));
        assertThat(c.purchase().orElseThrow().total()).isEqualByComparingTo("279.70");
    }

    @Test
    void movesThatCancelOutAreDropped() {
        assertThat(StockMove.merge(List.of(StockMove.reserve("A-1", 2), StockMove.release("A-1", 2)))).isEmpty();
    }
}
