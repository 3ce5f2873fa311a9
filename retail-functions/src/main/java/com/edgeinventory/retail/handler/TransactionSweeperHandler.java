package com.edgeinventory.retail.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.edgeinventory.inventory.store.InventoryTable;
import com.edgeinventory.retail.adapter.DynamoRetailStore;
import com.edgeinventory.retail.adapter.StateTable;
import com.edgeinventory.retail.service.TransactionSweeper;
import com.edgeinventory.model.metrics.EmfMetrics;
import com.edgeinventory.model.metrics.EmfMetrics.Metric;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * TransactionSweeperFunction (every minute): expires idle OPEN transactions and releases their reservations,
 * exactly once even when two sweeps overlap. Returns {@code {examined, expired, skipped}}. Idle is measured to the
 * EventBridge event's {@code time} (when the schedule fired; the function's clock when it has none), the clock the
 * transactions' own requests are stamped with: API Gateway's. The event is read as a map, not as the events
 * library's {@code ScheduledEvent}, whose {@code time} is a Joda-Time type this jar does not carry.
 */
public final class TransactionSweeperHandler implements RequestHandler<Map<String, Object>, Map<String, Integer>> {

    private final TransactionSweeper sweeper;
    private final EmfMetrics metrics;
    private final Clock clock;

    public TransactionSweeperHandler() {
        this(fromEnvironment());
    }

    private TransactionSweeperHandler(Wiring wiring) {
        this(new TransactionSweeper(wiring.store(), Clock.systemUTC()), EmfMetrics.fromEnvironment(),
                Clock.systemUTC());
        Priming.register(Priming.sweeper(wiring.store(), wiring.states()));
    }

    TransactionSweeperHandler(TransactionSweeper sweeper, EmfMetrics metrics, Clock clock) {
        this.sweeper = Objects.requireNonNull(sweeper);
        this.metrics = Objects.requireNonNull(metrics);
        this.clock = Objects.requireNonNull(clock);
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
    public Map<String, Integer> handleRequest(Map<String, Object> event, Context context) {
        Instant now = scheduledAt(event).orElseGet(clock::instant);
        TransactionSweeper.Report report = sweeper.sweep(now);
        if (context != null && context.getLogger() != null) {
            context.getLogger().log("sweep: examined=" + report.examined() + " expired=" + report.expired()
                    + " skipped=" + report.skipped(), com.amazonaws.services.lambda.runtime.logging.LogLevel.INFO);
        }
        metrics.put(now, List.of(Metric.count("TransactionsExpired", report.expired())), Map.of());
        Map<String, Integer> result = new LinkedHashMap<>();
        result.put("examined", report.examined());
        result.put("expired", report.expired());
        result.put("skipped", report.skipped());
        return result;
    }

    /** The scheduled event's {@code time}; empty when absent or not an ISO-8601 instant. */
    static Optional<Instant> scheduledAt(Map<String, Object> event) {
        if (event == null || !(event.get("time") instanceof String time)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(time));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
