package com.edgeinventory.retail.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The find → apply → versioned save loop and the replay, against an in-memory store that answers as told. */
class CustomerServiceTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final CustomerUpdate UPDATE = new CustomerUpdate(null, Preferences.NONE, true);
    private static final CustomerService.Put PUT =
            new CustomerService.Put("cust-1", "STORE-1", "key-00000001", "fp-1", UPDATE);

    /** Answers each save with the next scripted outcome, recording what it was asked to write. */
    private static final class ScriptedStore implements CustomerStore {
        final Deque<SaveOutcome> outcomes = new ArrayDeque<>();
        final List<IdempotencyRecord> records = new ArrayList<>();
        final List<Long> expectedVersions = new ArrayList<>();
        Optional<Customer> current = Optional.empty();

        @Override
        public Optional<Customer> find(String customerId) {
            return current;
        }

        @Override
        public SaveOutcome save(Customer customer, long expectedVersion, IdempotencyRecord record) {
            records.add(record);
            expectedVersions.add(expectedVersion);
            return outcomes.isEmpty() ? new Saved() : outcomes.poll();
        }
    }

    private final ScriptedStore store = new ScriptedStore();
    private final CustomerService service = new CustomerService(store, Clock.fixed(T0, ZoneOffset.UTC));

    @Test
    void aNewCustomerIsSavedWithTheResponseAsItsIdempotencyRecord() {
        CustomerService.Outcome outcome = service.put(PUT);

        assertThat(outcome.replayed()).isFalse();
        assertThat(outcome.reply().status()).isEqualTo(200);
        assertThat(outcome.reply().body()).contains("\"customerId\":\"cust-1\"").contains("\"version\":1");
        assertThat(store.expectedVersions).containsExactly(0L);
        assertThat(store.records).singleElement().satisfies(r -> {
            assertThat(r.storeId()).isEqualTo("STORE-1");
            assertThat(r.key()).isEqualTo("key-00000001");
            assertThat(r.fingerprint()).isEqualTo("fp-1");
            assertThat(r.body()).isEqualTo(outcome.reply().body());
            assertThat(r.contentType()).isEqualTo(Reply.JSON);
        });
    }

    @Test
    void aVersionConflictIsRetriedAndAfterThreeIsA409() {
        store.outcomes.add(new CustomerStore.VersionConflict());
        assertThat(service.put(PUT).reply().status()).isEqualTo(200);

        store.records.clear();
        for (int i = 0; i < CustomerService.MAX_ATTEMPTS; i++) {
            store.outcomes.add(new CustomerStore.VersionConflict());
        }
        CustomerService.Outcome gaveUp = service.put(PUT);
        assertThat(gaveUp.reply().status()).isEqualTo(409);
        assertThat(gaveUp.reply().body()).contains("concurrent-modification");
        assertThat(store.records).hasSize(CustomerService.MAX_ATTEMPTS);
    }

    @Test
    void aUsedKeyReplaysItsResponseForTheSameRequestAndIs422ForAnother() {
        IdempotencyRecord stored = new IdempotencyRecord("STORE-1", "key-00000001", "fp-1", 200, Reply.JSON,
                "{\"stored\":true}", T0.minusSeconds(60));
        store.outcomes.add(new CustomerStore.KeyUsed(Optional.of(stored)));
        CustomerService.Outcome replay = service.put(PUT);
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.reply().body()).isEqualTo("{\"stored\":true}");

        store.outcomes.add(new CustomerStore.KeyUsed(Optional.of(stored)));
        CustomerService.Outcome other = service.put(new CustomerService.Put("cust-1", "STORE-1", "key-00000001",
                "fp-2", UPDATE));
        assertThat(other.replayed()).isFalse();
        assertThat(other.reply().status()).isEqualTo(422);
    }

    @Test
    void anExistingCustomerIsSavedAgainstTheVersionRead() {
        store.current = Optional.of(Customer.apply(Optional.empty(), "cust-1", "STORE-0", UPDATE, T0));

        CustomerService.Outcome outcome = service.put(PUT);

        assertThat(store.expectedVersions).containsExactly(1L);
        assertThat(outcome.reply().body()).contains("\"storeId\":\"STORE-0\"").contains("\"version\":2");
    }
}
