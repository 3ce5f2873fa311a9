package com.edgeinventory.cli.cost;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the system breaks at a peak rate, from a run's measured use per purchase and AWS's documented limits.
 * Pure. Every figure is linear in the rate, so each limit is reached at one rate; the first one is named.
 *
 * <ul>
 *   <li>Lambda: concurrency = invocations per purchase × rate × handler seconds (× the duration factor), per
 *       function and per region, against the default 1,000 concurrent executions of an account per region.</li>
 *   <li>The hottest inventory item: a share of the purchases buys one sku; each purchase moves that sku's stock
 *       item (or one of its shards) in a transaction, 2 write units per started KB. DynamoDB allows 1,000 write
 *       units per second on one partition, so on one item. Transactions per second on one item, and the chance
 *       that one overlaps another in flight (TransactionConflict) for transactions arriving at random (Poisson),
 *       each in flight {@code transactionMillis}: 1 - exp(-rate × window).</li>
 *   <li>Kinesis (central): records and bytes per second from all edges, in 1 MB/s and 1,000 records/s shards (the
 *       on-demand mode scales to 200 MB/s by default).</li>
 *   <li>HTTP API: requests per second per region against the account's 10,000 per region.</li>
 * </ul>
 */
public final class CapacityPlan {

    public static final double LAMBDA_CONCURRENCY = 1_000;
    public static final double ITEM_WCU_PER_SECOND = 1_000;
    public static final double HTTP_API_RPS = 10_000;
    public static final double KINESIS_ON_DEMAND_MB = 200;

    /**
     * @param peakPurchasesPerSecond per edge region
     * @param hotSkuShare            the share of purchases that buy the hottest sku (0..1)
     * @param hotSkuShards           the stock shards of that sku (its product.json's stockShards)
     * @param itemKb                 the size of a stock item, KB (write units per transactional write: 2 per KB)
     * @param transactionMillis      how long a transaction holds its items on DynamoDB
     */
    public record Input(double peakPurchasesPerSecond, double hotSkuShare, int hotSkuShards, int edgeRegions,
                        double durationFactor, double itemKb, double transactionMillis) {}

    /** One limit: what it is at the peak, its ceiling, and the rate per edge region at which it is reached. */
    public record Limit(String name, double atPeak, double ceiling, String unit, double reachedAtPurchasesPerSecond) {
        public double utilisation() {
            return atPeak / ceiling;
        }
    }

    /**
     * @param concurrency  per function ({@code LogicalId}) at the peak, one edge region (central's aggregator for
     *                     all edges)
     * @param conflictRate the chance that a transaction on the hottest item overlaps another in flight
     */
    public record Plan(Input input, Map<String, Double> concurrency, List<Limit> limits, double itemTransactionsPerSecond,
                       double itemWcuPerSecond, double conflictRate, double kinesisRecordsPerSecond,
                       double kinesisMbPerSecond, int kinesisShards, Limit first) {}

    private CapacityPlan() {
    }

    public static Plan of(Usage usage, Input in) {
        long purchases = usage.business("purchases");
        if (purchases <= 0) {
            throw new IllegalArgumentException("the run made no purchases: nothing to scale per purchase");
        }
        double p = in.peakPurchasesPerSecond();
        Map<String, Double> concurrencyPerPurchaseRate = new TreeMap<>();
        for (Usage.Lambda l : usage.lambda()) {
            if (CostModel.driverOf(l.logicalId()) != CostModel.Driver.PURCHASES || l.invocations() == 0) {
                continue;
            }
            boolean central = l.logicalId().equals("CentralAggregatorFunction");
            // Invocations per purchase over all regions of the run; central's aggregator serves every edge, so at
            // the peak it sees all their purchases.
            double perPurchase = (double) l.invocations() / purchases;
            double seconds = (double) l.durationMillis() / l.invocations() / 1000 * in.durationFactor();
            concurrencyPerPurchaseRate.merge(l.logicalId(), perPurchase * seconds * (central ? in.edgeRegions() : 1),
                    Double::sum);
        }
        Map<String, Double> concurrency = new TreeMap<>();
        concurrencyPerPurchaseRate.forEach((f, c) -> concurrency.put(f, c * p));
        double edgeConcurrencySlope = concurrencyPerPurchaseRate.entrySet().stream()
                .filter(e -> !e.getKey().equals("CentralAggregatorFunction")).mapToDouble(Map.Entry::getValue).sum();
        double centralConcurrencySlope = concurrencyPerPurchaseRate.getOrDefault("CentralAggregatorFunction", 0.0);

        double writeUnitsPerTransaction = 2 * Math.max(1, Math.ceil(in.itemKb()));
        double itemTxSlope = in.hotSkuShare() / in.hotSkuShards();
        double itemTx = p * itemTxSlope;
        double itemWcu = itemTx * writeUnitsPerTransaction;
        double conflict = 1 - Math.exp(-itemTx * in.transactionMillis() / 1000);

        long records = usage.aws().stream().filter(c -> c.service().equals("kinesis"))
                .mapToLong(Usage.Call::kinesisRecords).sum();
        long bytes = usage.aws().stream().filter(c -> c.service().equals("kinesis"))
                .mapToLong(Usage.Call::kinesisPayloadBytes).sum();
        double recordsSlope = (double) records / purchases * in.edgeRegions();
        double mbSlope = (double) bytes / purchases / 1e6 * in.edgeRegions();
        double kinesisRecords = p * recordsSlope;
        double kinesisMb = p * mbSlope;
        int shards = (int) Math.max(1, Math.ceil(Math.max(kinesisRecords / 1000, kinesisMb / 1)));

        long retailRequests = usage.httpApi().entrySet().stream().filter(e -> !e.getKey().endsWith("/AnalyticsApi"))
                .mapToLong(Map.Entry::getValue).sum();
        double httpSlope = (double) retailRequests / purchases;

        List<Limit> limits = new ArrayList<>();
        limits.add(limit("Lambda concurrency, one edge region", p * edgeConcurrencySlope, LAMBDA_CONCURRENCY,
                "concurrent executions", edgeConcurrencySlope));
        limits.add(limit("Lambda concurrency, central", p * centralConcurrencySlope, LAMBDA_CONCURRENCY,
                "concurrent executions", centralConcurrencySlope));
        limits.add(limit("writes on the hottest stock item", itemWcu, ITEM_WCU_PER_SECOND, "WCU/s",
                itemTxSlope * writeUnitsPerTransaction));
        limits.add(limit("HTTP API, one edge region", p * httpSlope, HTTP_API_RPS, "requests/s", httpSlope));
        limits.add(limit("Kinesis on-demand, central", kinesisMb, KINESIS_ON_DEMAND_MB, "MB/s", mbSlope));
        Limit first = limits.stream().filter(l -> l.reachedAtPurchasesPerSecond() > 0)
                .min(Comparator.comparingDouble(Limit::reachedAtPurchasesPerSecond)).orElseThrow();
        return new Plan(in, concurrency, limits, itemTx, itemWcu, conflict, kinesisRecords, kinesisMb, shards, first);
    }

    private static Limit limit(String name, double atPeak, double ceiling, String unit, double slope) {
        return new Limit(name, atPeak, ceiling, unit, slope <= 0 ? Double.POSITIVE_INFINITY : ceiling / slope);
    }
}
