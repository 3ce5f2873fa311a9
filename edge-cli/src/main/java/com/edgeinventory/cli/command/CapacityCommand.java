package com.edgeinventory.cli.command;

import com.edgeinventory.cli.UsageException;
import com.edgeinventory.cli.cost.CapacityPlan;
import com.edgeinventory.cli.cost.Usage;
import com.edgeinventory.local.LocalRuntimeException;
import java.util.Locale;
import java.util.Set;

/**
 * {@code capacity}: where the system breaks at a peak rate, from the same measured usage as {@code cost}: Lambda
 * concurrency per function, the hottest stock item's writes and transactions (and the chance of a transaction
 * conflict), Kinesis shards for central, the HTTP API's requests per second; and the first limit reached.
 */
final class CapacityCommand {

    static final String NAME = "capacity";
    static final Set<String> OPTIONS = Set.of("peak-purchases-per-second", "hot-sku-share", "hot-sku-shards",
            "regions", "usage", "duration-factor", "item-kb", "transaction-ms");
    static final String USAGE = """
            Usage: edge-inventory capacity --peak-purchases-per-second N [--hot-sku-share X] [--hot-sku-shards K]
                                           [--regions N] [--usage FILE] [--duration-factor F] [--item-kb KB]
                                           [--transaction-ms MS]

            Scales what a finished run measured per purchase (bin/edge-inventory demo writes it) to a peak and sets
            it against AWS's limits: Lambda concurrency per function (1,000 per account and region by default), the
            hottest inventory item's write units (1,000 WCU/s on one item) and transactions per second, with the
            chance that a transaction overlaps another on that item (DynamoDB cancels it: TransactionConflict),
            Kinesis shards for central (1 MB/s and 1,000 records/s each; on-demand scales to 200 MB/s), the HTTP
            API's requests per second (10,000 per account and region). Names the first limit reached and the rate.

              --peak-purchases-per-second N  per edge region (required)
              --hot-sku-share X          the share of purchases that buy one sku, 0..1 (default 0: no drop)
              --hot-sku-shards K         that sku's stockShards in its product.json (default 1)
              --regions N                edge regions (default 2)
              --usage FILE               default: the last demo's, ~/.cache/edge-inventory/usage/last-demo.json
              --duration-factor F        Lambda's handler time over the local one (default 1.0)
              --item-kb KB               the size of a stock item (default 1: 2 write units per transaction)
              --transaction-ms MS        how long DynamoDB holds a transaction's items (default 15)
            """;

    private CapacityCommand() {
    }

    static int run(CliArgs args, CliContext context) {
        if (!args.positional().isEmpty()) {
            throw new UsageException(NAME, "capacity takes no arguments, got " + args.positional());
        }
        if (args.option("peak-purchases-per-second").isEmpty()) {
            throw new UsageException(NAME, "capacity needs --peak-purchases-per-second N");
        }
        Usage usage = Usage.read(CostCommand.usageFile(args, context));
        CapacityPlan.Input in = new CapacityPlan.Input(
                args.number(NAME, "peak-purchases-per-second", 0, 0.001, 1e7),
                args.number(NAME, "hot-sku-share", 0, 0, 1),
                (int) args.number(NAME, "hot-sku-shards", 1, 1, 32),
                (int) args.number(NAME, "regions", 2, 1, 50),
                args.number(NAME, "duration-factor", 1, 0.01, 100),
                args.number(NAME, "item-kb", 1, 0.001, 400),
                args.number(NAME, "transaction-ms", 15, 0.1, 10_000));
        CapacityPlan.Plan plan;
        try {
            plan = CapacityPlan.of(usage, in);
        } catch (IllegalArgumentException e) {
            throw new LocalRuntimeException("Cannot plan from this run: " + e.getMessage());
        }
        context.out().print(render(plan));
        return 0;
    }


    static String render(CapacityPlan.Plan p) {
        CapacityPlan.Input in = p.input();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "At %s purchases/s per edge region, %d edge region(s); hottest sku %.0f %%"
                        + " of purchases over %d stock item(s)%n%n", CliArgs.plain(in.peakPurchasesPerSecond()),
                in.edgeRegions(), 100 * in.hotSkuShare(), in.hotSkuShards()));
        out.append("Lambda concurrency at the peak (one edge region; the aggregator for all edges):\n");
        p.concurrency().forEach((f, c) -> out.append(String.format(Locale.ROOT, "  %-28s %10.1f%n", f, c)));
        out.append(String.format(Locale.ROOT, "%nHottest stock item: %.1f transactions/s, %.0f WCU/s of 1,000; a"
                        + " transaction overlaps another in flight %.1f %% of the time (window %s ms)%n",
                p.itemTransactionsPerSecond(), p.itemWcuPerSecond(), 100 * p.conflictRate(),
                CliArgs.plain(in.transactionMillis())));
        out.append(String.format(Locale.ROOT, "Kinesis (central): %.1f records/s, %.3f MB/s: %d shard(s) provisioned,"
                + " or on-demand%n%n", p.kinesisRecordsPerSecond(), p.kinesisMbPerSecond(), p.kinesisShards()));
        out.append(String.format(Locale.ROOT, "%-38s %14s %12s %8s %22s%n", "limit", "at the peak", "ceiling", "used",
                "reached at purchases/s"));
        for (CapacityPlan.Limit l : p.limits()) {
            out.append(String.format(Locale.ROOT, "%-38s %14.1f %12.0f %7.1f%% %22s%n", l.name(), l.atPeak(),
                    l.ceiling(), 100 * l.utilisation(), Double.isInfinite(l.reachedAtPurchasesPerSecond()) ? "never"
                            : String.format(Locale.ROOT, "%.1f", l.reachedAtPurchasesPerSecond())));
        }
        out.append(String.format(Locale.ROOT, "%nFirst limit reached: %s, at %.1f purchases/s per edge region%n",
                p.first().name(), p.first().reachedAtPurchasesPerSecond()));
        return out.toString();
    }
}
