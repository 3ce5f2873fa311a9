package com.edgeinventory.retail.service;

import com.edgeinventory.model.Backoff;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.retail.service.RetailStore.Cancelled;
import com.edgeinventory.retail.service.RetailStore.Refill;
import com.edgeinventory.retail.service.TransactionState.Status;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The write loop against a scripted store: bounded retries, replays, and what a rejection reads. */
class TransactionServiceTest {

    static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");
    static final TransactionService.Request REQ = new TransactionService.Request("S1", "POS-01", "key-0001", "fp-1");

    /** Answers every commit with the next scripted result and counts the calls. */
    static class ScriptedStore implements RetailStore {
        final List<CommitResult> results = new ArrayList<>();
        final List<WriteSet> commits = new ArrayList<>();
        int loads;
        Optional<IdempotencyRecord> record = Optional.empty();
        int stockShards = 1;
        final List<Refill> refillAnswers = new ArrayList<>();
        final List<String> refills = new ArrayList<>();
        TransactionState state = new TransactionState("S1", "c1", Status.OPEN, "t1", List.of(), null, 1, NOW,
                NOW.plusSeconds(600));

        @Override
        public Optional<TransactionState> loadState(String storeId, String clientId) {
            loads++;
            return Optional.of(state);
        }

        @Override
        public Optional<ProductInfo> product(String sku) {
            return Optional.of(new ProductInfo(sku, "Shoe", new BigDecimal("10.00"), "EUR", null, stockShards));
        }

        @Override
        public Refill refill(String sku, int shard, long need, Instant now) {
            refills.add(sku + " shard " + shard + " need " + need);
            return refillAnswers.removeFirst();
        }

        @Override
        public List<Alternative> sameStyle(String styleId, String exceptSku) {
            return List.of();
        }

        @Override
        public Optional<IdempotencyRecord> idempotencyRecord(String storeId, String key) {
            return record;
        }

        @Override
        public CommitResult commit(WriteSet write) {
            commits.add(write);
            return results.isEmpty() ? new Committed() : results.removeFirst();
        }

        final List<String> lostDemand = new ArrayList<>();
        RuntimeException lostDemandFailure;

        @Override
        public void recordLostDemand(String sku, String storeId, long units, boolean offered, String requestKey,
                                     Instant now) {
            if (lostDemandFailure != null) {
                throw lostDemandFailure;
            }
            lostDemand.add(sku + "@" + storeId + " " + units + (offered ? " offered" : ""));
        }

        @Override
        public SweepRead forEachOpenExpired(Instant now, Consumer<TransactionState> visitor) {
            return SweepRead.NONE;
        }
    }

    static Cancelled shortOf(String sku, long available) {
        return new Cancelled(false, Optional.empty(), false, Optional.empty(), Map.of(sku, available), false);
    }

    @Test
    void aRefusalCountsItsLostDemandAndAFailedCountDoesNotChangeTheAnswer() {
        ScriptedStore store = new ScriptedStore();
        store.results.add(shortOf("SKU-1", 1));
        Reply sale = service(store).sale(REQ, new RequestValidator.Sale(List.of(new Transitions.LineRequest("SKU-1", 2),
                new Transitions.LineRequest("SKU-1", 1)), null));

        assertThat(sale.status()).isEqualTo(409);
        assertThat(store.lostDemand).as("units asked over the request's lines of the sku").containsExactly("SKU-1@S1 3");

        ScriptedStore failing = new ScriptedStore();
        failing.results.add(shortOf("SKU-1", 0));
        failing.lostDemandFailure = new IllegalStateException("throttled");
        List<String> notRecorded = new ArrayList<>();
        TransactionService service = new TransactionService(failing, CustomerPreferences.NONE,
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(15), () -> "id-1", new SalesMetrics() {
                    @Override
                    public void sold(Purchase purchase) {
                    }

                    @Override
                    public void outOfStock(String sku, long available) {
                    }

                    @Override
                    public void lostDemandNotRecorded(String sku, RuntimeException cause) {
                        notRecorded.add(sku + " " + cause.getMessage());
                    }
                }, Backoff.NONE);

        Reply add = service.addItem(REQ, "c1", new RequestValidator.AddItem("SKU-1", 2));

        assertThat(add.status()).isEqualTo(409);
        assertThat(add.body()).contains("out-of-stock");
        assertThat(notRecorded).containsExactly("SKU-1 throttled");
    }

    static Cancelled conflict() {
        return new Cancelled(false, Optional.empty(), true, Optional.empty(), Map.of(), false);
    }

    TransactionService service(ScriptedStore store) {
        return new TransactionService(store, CustomerPreferences.NONE, Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofMinutes(15), () -> "id-1");
    }

    @Test
    void aVersionConflictIsRetriedAtMostThreeTimesThen409() {
        ScriptedStore store = new ScriptedStore();
        for (int i = 0; i < 10; i++) {
            store.results.add(conflict());
        }

        Reply reply = service(store).addItem(REQ, "c1", new RequestValidator.AddItem("SKU-1", 1));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.body()).contains("concurrent-modification");
        assertThat(store.commits).hasSize(1 + TransactionService.MAX_RETRIES);
    }

    static Cancelled transactionConflict() {
        return new Cancelled(false, Optional.empty(), false, Optional.empty(), Map.of(), true);
    }

    @Test
    void aTransientCancellationWaitsWithTheBackoffBeforeEachRetryAndAVersionConflictDoesNot() {
        List<Integer> pauses = new ArrayList<>();
        ScriptedStore transientStore = new ScriptedStore();
        for (int i = 0; i < 10; i++) {
            transientStore.results.add(transactionConflict());
        }
        TransactionService service = new TransactionService(transientStore, CustomerPreferences.NONE,
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(15), () -> "id-1", SalesMetrics.NONE,
                pauses::add);

        Reply reply = service.addItem(REQ, "c1", new RequestValidator.AddItem("SKU-1", 1));

        assertThat(reply.body()).contains("concurrent-modification");
        assertThat(transientStore.commits).hasSize(1 + TransactionService.MAX_RETRIES);
        assertThat(pauses).containsExactly(0, 1, 2);

        pauses.clear();
        ScriptedStore versionStore = new ScriptedStore();
        versionStore.results.add(conflict());
        new TransactionService(versionStore, CustomerPreferences.NONE, Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofMinutes(15), () -> "id-1", SalesMetrics.NONE, pauses::add)
                .addItem(REQ, "c1", new RequestValidator.AddItem("SKU-1", 1));
        assertThat(pauses).as("a version conflict retries at once from the new state").isEmpty();
    }

    @Test
    void theJitteredBackoffDoublesUpToItsCap() {
        assertThat(java.util.stream.IntStream.of(0, 1, 2, 3, 4, 5, 40).mapToLong(r -> Backoff.ceilingMillis(r, 20, 320)))
                .containsExactly(20L, 40L, 80L, 160L, 320L, 320L, 320L);
    }

    /** The first sale of a sharded sku meets a dry shard: the shard it used, from its move. */
    static Cancelled dryShard(RetailStore.WriteSet write) {
        StockMove move = write.moves().getFirst();
        return new Cancelled(false, Optional.empty(), false, Optional.empty(), Map.of(move.sku(), 0L), false,
                Map.of(move.sku(), move.shard()));
    }

    @Test
    void aDryShardOfAHotSkuIsRefilledFromTheOthersAndTheSaleGoesThroughWithoutUsingARetry() {
        ScriptedStore store = new ScriptedStore() {
            @Override
            public CommitResult commit(WriteSet write) {
                commits.add(write);
                return commits.size() == 1 ? dryShard(write) : new Committed();
            }
        };
        store.stockShards = 4;
        store.refillAnswers.add(new Refill.TryAgain());
        RequestValidator.Sale sale = new RequestValidator.Sale(List.of(new Transitions.LineRequest("HOT-1", 2)), null);

        Reply reply = service(store).sale(REQ, sale);

        assertThat(reply.status()).isEqualTo(200);
        Integer shard = store.commits.getFirst().moves().getFirst().shard();
        assertThat(shard).isBetween(0, 3);
        assertThat(store.refills).containsExactly("HOT-1 shard " + shard + " need 2");
        assertThat(store.commits).hasSize(2);
        assertThat(store.commits.get(1).moves()).isEqualTo(store.commits.getFirst().moves());
    }

    @Test
    void aHotSkuShortOverAllItsShardsIsOutOfStockWithItsTotal() {
        ScriptedStore store = new ScriptedStore() {
            @Override
            public CommitResult commit(WriteSet write) {
                commits.add(write);
                return dryShard(write);
            }
        };
        store.stockShards = 4;
        store.refillAnswers.add(new Refill.Insufficient(1));
        RequestValidator.Sale sale = new RequestValidator.Sale(List.of(new Transitions.LineRequest("HOT-1", 2)), null);

        Reply reply = service(store).sale(REQ, sale);

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.body()).contains("out-of-stock").contains("\"available\":1");
        assertThat(store.commits).hasSize(1);
    }

    @Test
    void aConflictReloadsAndTheRetryIsComputedFromTheNewState() {
        ScriptedStore store = new ScriptedStore();
        store.results.add(conflict());

        Reply reply = service(store).addItem(REQ, "c1", new RequestValidator.AddItem("SKU-1", 1));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(store.loads).isEqualTo(2);
        assertThat(store.commits.get(1).state().orElseThrow().expectedVersion()).isEqualTo(1);
        assertThat(store.commits.get(1).idempotency().orElseThrow().body()).isEqualTo(reply.body());
    }

    @Test
    void aTakenKeyReplaysTheStoredAnswerOrRefusesAnotherBody() {
        ScriptedStore store = new ScriptedStore();
        IdempotencyRecord stored = new IdempotencyRecord("S1", "key-0001", "fp-1", 201, Reply.JSON, "{\"stored\":true}", NOW);
        store.results.add(new Cancelled(true, Optional.of(stored), false, Optional.empty(), Map.of(), false));
        assertThat(service(store).addItem(REQ, "c1", new RequestValidator.AddItem("SKU-1", 1)))
                .isEqualTo(new Reply(201, Reply.JSON, "{\"stored\":true}"));

        ScriptedStore other = new ScriptedStore();
        other.results.add(new Cancelled(true, Optional.of(stored), false, Optional.empty(), Map.of(), false));
        TransactionService.Request differentBody = new TransactionService.Request("S1", "POS-01", "key-0001", "fp-2");
        assertThat(service(other).addItem(differentBody, "c1", new RequestValidator.AddItem("SKU-1", 2)).status())
                .isEqualTo(422);
    }

    @Test
    void aRejectedRetryOfASucceededCheckoutStillGetsTheStoredAnswer() {
        ScriptedStore store = new ScriptedStore();
        store.state = new TransactionState("S1", "c1", Status.CHECKED_OUT, "t1", List.of(), null, 3, NOW, NOW);
        store.record = Optional.of(new IdempotencyRecord("S1", "key-0001", "fp-1", 200, Reply.JSON, "{\"p\":1}", NOW));

        Reply reply = service(store).checkout(REQ, "c1");

        assertThat(reply).isEqualTo(new Reply(200, Reply.JSON, "{\"p\":1}"));
        assertThat(store.commits).isEmpty();
    }
}
