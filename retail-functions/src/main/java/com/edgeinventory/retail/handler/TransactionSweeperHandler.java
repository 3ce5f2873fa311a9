package com.edgeinventory.retail.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.retail.adapter.DynamoRetailStore;
import com.edgeinventory.retail.adapter.StateTable;
import com.edgeinventory.retail.service.TransactionSweeper;
import com.edgeinventory.model.metrics.EmfMetrics;
import com.edgeinventory.model.metrics.EmfMetrics.Metric;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * TransactionSweeperFunction (every minute): expires idle OPEN transactions and releases their reservations,
 * exactly once even when two sweeps overlap. Returns {@code {examined, expired, skipped}}.
 */
public final class TransactionSweeperHandler implements RequestHandler<ScheduledEvent, Map<String, Integer>> {

    private final TransactionSweeper sweeper;
    private final EmfMetrics metrics;

    public TransactionSweeperHandler() {
        this(fromEnvironment());
    }

    private TransactionSweeperHandler(Wiring wiring) {
        this(new TransactionSweeper(wiring.store(), Clock.systemUTC()), EmfMetrics.fromEnvironment());
        Priming.register(Priming.sweeper(wiring.store(), wiring.states()));
    }

    TransactionSweeperHandler(TransactionSweeper sweeper, EmfMetrics metrics) {
        this.sweeper = Objects.requireNonNull(sweeper);
        this.metrics = Objects.requireNonNull(metrics);
    }

    /** What the Lambda constructor builds; the state table is kept for priming. */
    private record Wiring(DynamoRetailStore store, StateTable states) {}

    private static Wiring fromEnvironment() {
        DynamoDbClient dynamo = RetailClients.dynamoDb();
        StateTable states = new StateTable(dynamo, RetailClients.requiredEnv("STATE_TABLE"));
        DynamoRetailStore store = DynamoRetailStore.statesAndStock(dynamo,
                new InventoryTable(dynamo, RetailClients.requiredEnv("INVENTORY_TABLE")), states);
        return new Wiring(store, states);
    }

    @Override
    public Map<String, Integer> handleRequest(ScheduledEvent event, Context context) {
        TransactionSweeper.Report report = sweeper.sweep();
        if (context != null && context.getLogger() != null) {
            context.getLogger().log("sweep: examined=" + report.examined() + " expired=" + report.expired()
                    + " skipped=" + report.skipped(), com.amazonaws.services.lambda.runtime.logging.LogLevel.INFO);
        }
        metrics.put(Instant.now(), List.of(Metric.count("TransactionsExpired", report.expired())), Map.of());
        Map<String, Integer> result = new LinkedHashMap<>();
        result.put("examined", report.examined());
        result.put("expired", report.expired());
        result.put("skipped", report.skipped());
        return result;
    }
}
