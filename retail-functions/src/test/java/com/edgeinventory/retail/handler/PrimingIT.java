package com.edgeinventory.retail.handler;

import static com.edgeinventory.retail.handler.TransactionFixture.STORE_A;
import static com.edgeinventory.retail.handler.TransactionFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.entry;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.retail.service.CustomerService;
import com.edgeinventory.retail.adapter.CustomersTable;
import com.edgeinventory.devices.DevicesTable;
import com.edgeinventory.devices.DevicesTable.Device;
import com.edgeinventory.devices.DevicesTable.Status;
import com.edgeinventory.retail.adapter.DynamoRetailStore;
import com.edgeinventory.retail.adapter.IdempotencyStore;
import com.edgeinventory.retail.adapter.PurchasesTable;
import com.edgeinventory.retail.adapter.StateTable;
import com.edgeinventory.devices.DeviceKeys;
import com.edgeinventory.retail.service.TransactionService;
import com.edgeinventory.testing.LocalAws;
import com.edgeinventory.testing.LocalAwsExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The SnapStart hooks of every retail function against moto: they complete, send only reads, write nothing,
 * and after a restore the caches are gone (the next request reads again).
 */
@ExtendWith(LocalAwsExtension.class)
class PrimingIT {

    static final String SKU = "TR-RUN-42-BLU";
    static final String SECRET = DeviceKeys.newSecret();

    TransactionFixture fx;
    String devicesTable;
    DevicesTable devices;
    DeviceAuthorizerHandler authorizer;
    CustomersTable customers;
    Priming.Hooks transactionHooks;
    Priming.Hooks customerHooks;
    Priming.Hooks stockHooks;
    Priming.Hooks authorizerHooks;
    Priming.Hooks sweeperHooks;

    @BeforeEach
    void setUp(LocalAws aws) {
        aws.reset();
        fx = new TransactionFixture(aws);
        devicesTable = aws.provision(Map.of()).physicalId("DevicesTable");
        devices = new DevicesTable(fx.dynamo, devicesTable);
        authorizer = new DeviceAuthorizerHandler(devices, fx.clock);
        customers = new CustomersTable(fx.dynamo, fx.customersTable, fx.idempotencyTable);

        transactionHooks = Priming.transactions(fx.handler, fx.service, fx.store, customers);
        customerHooks = Priming.customers(new CustomerHandler(new CustomerService(customers, fx.clock)), customers);
        stockHooks = Priming.stock(new StockHandler(fx.inventory, "eu-west-1"), "eu-west-1");
        authorizerHooks = Priming.deviceAuthorizer(authorizer);
        sweeperHooks = Priming.sweeper(fx.store, new StateTable(fx.dynamo, fx.stateTable));

        // Something in every table, so that "nothing changed" is not trivially true.
        fx.product(SKU, 25);
        fx.customer("cust-1", List.of("42"), List.of("blue"), List.of("running-shoes"));
        devices.create(new Device("POS-01", STORE_A, DeviceKeys.hash(SECRET), Status.ACTIVE, TransactionFixture.START));
        ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-add-0001"), 201);
        ok(fx.add(STORE_A, "basket-2", SKU, 1, "key-add-0002"), 201);
        ok(fx.checkout(STORE_A, "basket-2", "key-chk-0002"), 200);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    List<Priming.Hooks> all() {
        return List.of(transactionHooks, customerHooks, stockHooks, authorizerHooks, sweeperHooks);
    }

    Map<String, List<Map<String, AttributeValue>>> everything() {
        Map<String, List<Map<String, AttributeValue>>> all = new TreeMap<>(fx.everything());
        all.put(devicesTable, fx.scan(devicesTable).stream().map(i -> (Map<String, AttributeValue>) new TreeMap<>(i))
                .sorted((a, b) -> a.toString().compareTo(b.toString())).toList());
        return all;
    }

    @Test
    void everyHookCompletesSendsOnlyReadsAndWritesNothing() {
        Map<String, List<Map<String, AttributeValue>>> before = everything();
        assertThat(before.values()).allSatisfy(items -> assertThat(items).isNotEmpty());
        fx.counter.reset();

        for (Priming.Hooks hooks : all()) {
            assertThatCode(() -> {
                hooks.beforeCheckpoint(null);
                hooks.afterRestore(null);
            }).doesNotThrowAnyException();
            assertThat(hooks.failedSteps()).as("failed steps").isZero();
        }

        // Transaction: state, inventory, idempotency (its table, then the purchases a checkout or sale key makes),
        // customers; customer: customers, idempotency; stock: 1; authorizer: 1; sweeper: one Query page of its
        // sparse index. No write of any kind.
        assertThat(fx.counter.requests()).containsExactly(entry("GetItem", 9L), entry("Query", 1L));
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void afterRestoreTheTransactionServiceReadsStateAndPriceAgain() {
        fx.counter.reset();
        ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-add-0003"), 200);
        assertThat(fx.counter.requests()).as("warm: state and price cached")
                .containsExactly(entry("TransactWriteItems", 1L));

        transactionHooks.afterRestore(null);
        fx.counter.reset();
        ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-add-0004"), 200);

        assertThat(fx.counter.requests()).as("after restore: state and price read again")
                .containsExactly(entry("GetItem", 2L), entry("TransactWriteItems", 1L));
    }

    @Test
    void beforeCheckpointLeavesTheTransactionCachesEmpty() {
        transactionHooks.beforeCheckpoint(null);
        fx.counter.reset();

        ok(fx.add(STORE_A, "basket-1", SKU, 1, "key-add-0005"), 200);

        assertThat(fx.counter.requests()).containsExactly(entry("GetItem", 2L), entry("TransactWriteItems", 1L));
    }

    @Test
    void afterRestoreTheAuthorizerReadsTheDeviceAgain() {
        APIGatewayV2CustomAuthorizerEvent request = new APIGatewayV2CustomAuthorizerEvent();
        request.setHeaders(Map.of("authorization", DeviceKeys.authorization("POS-01", SECRET)));
        assertThat(authorizer.handleRequest(request, null)).containsEntry("isAuthorized", true);
        fx.counter.reset();
        assertThat(authorizer.handleRequest(request, null)).containsEntry("isAuthorized", true);
        assertThat(fx.counter.total()).as("cached").isZero();

        devices.disable("POS-01");
        authorizerHooks.afterRestore(null);
        fx.counter.reset();

        assertThat(authorizer.handleRequest(request, null)).containsExactly(entry("isAuthorized", false));
        assertThat(fx.counter.requests()).containsExactly(entry("GetItem", 1L));
    }

    @Test
    void primingNeverThrowsWhenTheTablesAreMissing() {
        String missing = "no-such-table-" + UUID.randomUUID();
        InventoryTable inventory = new InventoryTable(fx.dynamo, missing);
        DynamoRetailStore store = new DynamoRetailStore(fx.dynamo, inventory, new StateTable(fx.dynamo, missing),
                new PurchasesTable(fx.dynamo, missing), new IdempotencyStore(fx.dynamo, missing));
        CustomersTable noCustomers = new CustomersTable(fx.dynamo, missing, missing);
        TransactionService service = new TransactionService(store, noCustomers::preferences, fx.clock,
                Duration.ofMinutes(15), () -> UUID.randomUUID().toString());
        List<Priming.Hooks> broken = List.of(
                Priming.transactions(new TransactionHandler(service), service, store, noCustomers),
                Priming.customers(new CustomerHandler(new CustomerService(noCustomers, fx.clock)), noCustomers),
                Priming.stock(new StockHandler(inventory, "eu-west-1"), "eu-west-1"),
                Priming.deviceAuthorizer(new DeviceAuthorizerHandler(new DevicesTable(fx.dynamo, missing), fx.clock)),
                Priming.sweeper(store, new StateTable(fx.dynamo, missing)));

        for (Priming.Hooks hooks : broken) {
            assertThatCode(() -> {
                Priming.register(hooks);
                hooks.beforeCheckpoint(null);
                hooks.afterRestore(null);
            }).doesNotThrowAnyException();
            assertThat(hooks.failedSteps()).as("failed steps, logged and skipped").isPositive();
        }
    }
}
