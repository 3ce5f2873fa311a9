package com.edgeinventory.cli.cost;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a month costs at the user's rates, from a run's measured {@link Usage} and the {@link Prices}. Pure.
 *
 * <p>Each function's use is charged to what drives it: purchases (the retail functions, the authorizer and the
 * pipeline to central), uploads (the two upload functions), the schedules (sweeper, outbox drainer: per region
 * and hour, whatever the traffic) or the analysts (their queries; reported, not in the totals). Per purchase and
 * per upload: the driver's use over the run's purchases and uploads. A warehouse upload itself is one S3 PUT the
 * meter does not see (it is not a function's call) and is added. Log bytes are shared out by invocations.
 *
 * <p>Rates are per edge region; central is one. Idle cost: the alarms of each role and the on-demand Kinesis
 * stream's hours, plus the schedules. Storage (DynamoDB items, S3 objects, log archives) is what the run left stored,
 * per purchase or upload, kept as long as each table keeps it ({@link #KEEPING}); it grows with every month of
 * data kept, so it is reported after the first and the twelfth month. The always-on comparison serves the same
 * workload with 2 m7g.large behind an ALB and a Multi-AZ db.m7g.large per region (edges and central), and ships
 * the same records to central (Kinesis and transfer as measured); its capacity is taken as enough for the peak.
 */
public final class CostModel {

    /** Seconds in a 30-day month. */
    public static final double MONTH_SECONDS = 30 * 24 * 3600;
    /** Hours in a month as AWS bills hourly resources (730). */
    public static final double MONTH_HOURS = 730;
    static final double GB = 1024.0 * 1024 * 1024;

    public enum Driver { PURCHASES, UPLOADS, SCHEDULES, ANALYSTS }

    /** The functions of template.yaml by what drives their use. Unknown functions count with purchases. */
    static final Map<String, Driver> DRIVERS = Map.ofEntries(
            Map.entry("TransactionFunction", Driver.PURCHASES),
            Map.entry("DeviceAuthorizerFunction", Driver.PURCHASES),
            Map.entry("StockFunction", Driver.PURCHASES),
            Map.entry("CustomerFunction", Driver.PURCHASES),
            Map.entry("InventoryStreamForwarder", Driver.PURCHASES),
            Map.entry("CentralAggregatorFunction", Driver.PURCHASES),
            Map.entry("ProductUploadFunction", Driver.UPLOADS),
            Map.entry("StockAdjustmentFunction", Driver.UPLOADS),
            Map.entry("TransactionSweeperFunction", Driver.SCHEDULES),
            Map.entry("OutboxDrainer", Driver.SCHEDULES),
            Map.entry("AnalyticsQueryFunction", Driver.ANALYSTS));

    /**
     * How long a table or bucket keeps what it holds, and what makes it grow: the TTLs of the code (state: 7 days
     * after expiry; idempotency records: 24 h; central dedup markers: 21 days), everything else kept. A resource
     * not listed (devices, ...) is stored as measured, whatever the rates.
     */
    record Keeping(Driver driver, double days) {
        static Keeping kept(Driver driver) {
            return new Keeping(driver, Double.POSITIVE_INFINITY);
        }
    }

    static final Map<String, Keeping> KEEPING = Map.ofEntries(
            Map.entry("PurchasesTable", Keeping.kept(Driver.PURCHASES)),
            Map.entry("CustomersTable", Keeping.kept(Driver.PURCHASES)),
            // grows with new customers, counted as with purchases: an upper bound (returning ones add nothing)
            Map.entry("CustomerVisitsTable", Keeping.kept(Driver.PURCHASES)),
            Map.entry("CentralSalesTable", Keeping.kept(Driver.PURCHASES)),
            Map.entry("RetailStateTable", new Keeping(Driver.PURCHASES, 7)),
            Map.entry("IdempotencyTable", new Keeping(Driver.PURCHASES, 1)),
            Map.entry("CentralSalesDedupTable", new Keeping(Driver.PURCHASES, 21)),
            Map.entry("InventoryTable", Keeping.kept(Driver.UPLOADS)),
            Map.entry("CentralLevelsTable", Keeping.kept(Driver.UPLOADS)),
            Map.entry("UploadBucket", Keeping.kept(Driver.UPLOADS)));

    /** The log groups' retention (template parameter LogRetentionDays, default). */
    static final double LOG_RETENTION_DAYS = 30;

    /**
     * What storage costs per month at the rates.
     *
     * @param measured        whether the usage file says what the run stored
     * @param firstMonth      $ for the month after one month of data at the rates
     * @param twelfthMonth    $ for the month after twelve
     * @param gbAfterTwelve   GB stored after twelve months (DynamoDB, S3, logs)
     */
    public record Storage(boolean measured, double firstMonth, double twelfthMonth, double gbAfterTwelve) {
        static final Storage UNMEASURED = new Storage(false, 0, 0, 0);
    }

    /**
     * @param purchasesPerSecond per edge region
     * @param uploadsPerDay      per edge region (product.json, images and stock files)
     * @param edgeRegions        edge regions (central is one more)
     * @param durationFactor     Lambda's handler time over the local one (1 = as measured here)
     * @param edgeAlarms         alarms of an edge deployment; {@code centralAlarms} of central
     */
    public record Rates(double purchasesPerSecond, double uploadsPerDay, int edgeRegions, double durationFactor,
                        int edgeAlarms, int centralAlarms) {}

    /** One service: $ per million purchases, per thousand uploads, and for the month at the rates. */
    public record Line(String service, double perMillionPurchases, double perThousandUploads, double idleMonthly,
                       double monthly) {}

    /**
     * @param breakEvenPurchasesPerSecond per edge region; negative when serverless stays cheaper at any rate
     */
    public record Report(Rates rates, List<Line> lines, double monthly, double perMillionPurchases,
                         double perThousandUploads, double idleEdgeMonthly, double idleCentralMonthly,
                         double alwaysOnMonthly, double alwaysOnFixedMonthly, double breakEvenPurchasesPerSecond,
                         double analystsPerQuery, long purchases, long uploads, Set<String> unknownFunctions,
                         Storage storage) {

        /** Serverless $ per month at {@code purchasesPerSecond} per edge region (uploads as in the rates). */
        public double serverlessAt(double purchasesPerSecond) {
            return fixedServerless() + slopeServerless() * purchasesPerSecond;
        }

        public double alwaysOnAt(double purchasesPerSecond) {
            return alwaysOnFixedMonthly + slopeShipping() * purchasesPerSecond;
        }

        double fixedServerless() {
            return monthly - slopeServerless() * rates.purchasesPerSecond();
        }

        double slopeServerless() {
            return rates.edgeRegions() * MONTH_SECONDS * perMillionPurchases / 1e6;
        }

        double slopeShipping() {
            return rates.edgeRegions() * MONTH_SECONDS * lines.stream()
                    .filter(l -> l.service().equals("Kinesis") || l.service().equals("Inter-region transfer"))
                    .mapToDouble(Line::perMillionPurchases).sum() / 1e6;
        }
    }

    private CostModel() {
    }

    /** The quantities AWS bills, summed per driver. */
    static final class Quantities {
        double gbSeconds;
        double lambdaRequests;
        double readUnits;
        double writeUnits;
        double httpRequests;
        double kinesisInGb;
        double kinesisOutGb;
        double transferGb;
        double s3Puts;
        double s3Gets;
        double sqsRequests;
        double logGb;

        Map<String, Double> usd(Prices p) {
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("Lambda", gbSeconds * p.usd("lambda.arm64.gbSecond") + lambdaRequests / 1e6 * p.usd("lambda.requests"));
            out.put("DynamoDB", writeUnits / 1e6 * p.usd("dynamodb.writeRequestUnits")
                    + readUnits / 1e6 * p.usd("dynamodb.readRequestUnits"));
            out.put("HTTP API", httpRequests / 1e6 * p.usd("httpApi.requests"));
            out.put("Kinesis", kinesisInGb * p.usd("kinesis.onDemand.dataIn") + kinesisOutGb * p.usd("kinesis.onDemand.dataOut"));
            out.put("Inter-region transfer", transferGb * p.usd("transfer.interRegion"));
            out.put("S3 requests", s3Puts / 1000 * p.usd("s3.put") + s3Gets / 1000 * p.usd("s3.get"));
            out.put("SQS", sqsRequests / 1e6 * p.usd("sqs.requests"));
            out.put("CloudWatch Logs", logGb * p.usd("cloudwatch.logsIngested"));
            return out;
        }
    }

    public static Driver driverOf(String logicalId) {
        return DRIVERS.getOrDefault(logicalId, Driver.PURCHASES);
    }

    public static Report of(Usage usage, Prices prices, Rates rates) {
        long purchases = usage.business("purchases");
        long uploads = usage.business("uploads");
        if (purchases <= 0) {
            throw new IllegalArgumentException("the run made no purchases: nothing to price per purchase");
        }
        Map<Driver, Quantities> q = quantities(usage, rates.durationFactor());
        Set<String> unknown = new TreeSet<>();
        usage.lambda().forEach(l -> {
            if (!DRIVERS.containsKey(l.logicalId())) {
                unknown.add(l.logicalId());
            }
        });
        q.get(Driver.UPLOADS).s3Puts += uploads; // the warehouse's own PUT of each file
        Map<String, Double> perPurchase = scale(q.get(Driver.PURCHASES).usd(prices), 1.0 / purchases);
        Map<String, Double> perUpload = uploads == 0 ? zero(perPurchase)
                : scale(q.get(Driver.UPLOADS).usd(prices), 1.0 / uploads);
        // The schedules' use per edge region and month: what the run saw, scaled from its length.
        Map<String, Double> schedulesMonthly = scale(q.get(Driver.SCHEDULES).usd(prices),
                MONTH_SECONDS / usage.seconds() / usage.edgeRegions());
        double alarm = prices.usd("cloudwatch.alarm");
        double idleEdge = rates.edgeAlarms() * alarm;
        double idleCentral = rates.centralAlarms() * alarm + MONTH_HOURS * prices.usd("kinesis.onDemand.streamHour");

        List<Line> lines = new ArrayList<>();
        double monthly = 0;
        int r = rates.edgeRegions();
        double purchasesPerMonth = rates.purchasesPerSecond() * MONTH_SECONDS;
        double uploadsPerMonth = rates.uploadsPerDay() * 30;
        for (String service : perPurchase.keySet()) {
            double idle = r * schedulesMonthly.get(service);
            double m = r * (purchasesPerMonth * perPurchase.get(service) + uploadsPerMonth * perUpload.get(service))
                    + idle;
            lines.add(new Line(service, perPurchase.get(service) * 1e6, perUpload.get(service) * 1000, idle, m));
            monthly += m;
        }
        lines.add(new Line("CloudWatch alarms", 0, 0, r * idleEdge + rates.centralAlarms() * alarm,
                r * idleEdge + rates.centralAlarms() * alarm));
        lines.add(new Line("Kinesis stream-hours", 0, 0, MONTH_HOURS * prices.usd("kinesis.onDemand.streamHour"),
                MONTH_HOURS * prices.usd("kinesis.onDemand.streamHour")));
        monthly += r * idleEdge + idleCentral;
        Storage storage = storage(usage, prices, rates, q);
        if (storage.measured()) {
            lines.add(new Line("Storage (1st month)", 0, 0, storage.firstMonth(), storage.firstMonth()));
            monthly += storage.firstMonth();
        }

        double perMillion = perPurchase.values().stream().mapToDouble(Double::doubleValue).sum() * 1e6;
        double perThousand = perUpload.values().stream().mapToDouble(Double::doubleValue).sum() * 1000;
        double alwaysOnRegion = MONTH_HOURS * (2 * prices.usd("ec2.m7g.large") + prices.usd("elb.alb")
                + prices.usd("elb.albLcu") + prices.usd("rds.postgres.m7g.large.multiAz"))
                + 100 * prices.usd("rds.gp3.multiAz");
        double alwaysOnFixed = (r + 1) * alwaysOnRegion;
        long queries = usage.lambda().stream().filter(l -> driverOf(l.logicalId()) == Driver.ANALYSTS)
                .mapToLong(Usage.Lambda::invocations).sum();
        double analysts = queries == 0 ? 0 : q.get(Driver.ANALYSTS).usd(prices).values().stream()
                .mapToDouble(Double::doubleValue).sum() / queries;
        Report draft = new Report(rates, lines, monthly, perMillion, perThousand, idleEdge, idleCentral, 0,
                alwaysOnFixed, 0, analysts, purchases, uploads, unknown, storage);
        double alwaysOn = draft.alwaysOnAt(rates.purchasesPerSecond());
        double slope = draft.slopeServerless() - draft.slopeShipping();
        double breakEven = slope <= 0 ? -1 : (alwaysOnFixed - draft.fixedServerless()) / slope;
        return new Report(rates, lines, monthly, perMillion, perThousand, idleEdge, idleCentral, alwaysOn,
                alwaysOnFixed, breakEven, analysts, purchases, uploads, unknown, storage);
    }

    /**
     * Storage at the rates after {@code 1} and {@code 12} months: per resource, the bytes the run left per purchase
     * or upload (all regions together) times the purchases or uploads of the days it keeps them; logs, a month's
     * ingest (30-day retention) billed as stored uncompressed (an upper bound: CloudWatch bills compressed bytes).
     */
    static Storage storage(Usage usage, Prices prices, Rates rates, Map<Driver, Quantities> q) {
        if (usage.storage().isEmpty()) {
            return Storage.UNMEASURED;
        }
        long purchases = usage.business("purchases");
        long uploads = usage.business("uploads");
        double purchasesPerDay = rates.purchasesPerSecond() * 86_400 * rates.edgeRegions();
        double uploadsPerDay = rates.uploadsPerDay() * rates.edgeRegions();
        double[] usd = new double[2];
        double gbAfterTwelve = 0;
        int[] months = {1, 12};
        for (int i = 0; i < 2; i++) {
            double days = 30.0 * months[i];
            double gb = 0;
            double dollars = 0;
            for (Usage.Stored st : usage.storage()) {
                Keeping keeping = KEEPING.get(st.resource());
                double bytes;
                if (keeping == null) {
                    bytes = st.bytes() * (double) rates.edgeRegions() / usage.edgeRegions();
                } else {
                    long units = keeping.driver() == Driver.UPLOADS ? uploads : purchases;
                    double perDay = keeping.driver() == Driver.UPLOADS ? uploadsPerDay : purchasesPerDay;
                    bytes = units == 0 ? 0 : st.bytes() / (double) units * perDay * Math.min(keeping.days(), days);
                }
                gb += bytes / GB;
                dollars += bytes / GB * prices.usd(st.service().equals("s3") ? "s3.storage" : "dynamodb.storage");
            }
            double logGbPerDay = (q.get(Driver.PURCHASES).logGb / Math.max(1, purchases) * purchasesPerDay)
                    + (uploads == 0 ? 0 : q.get(Driver.UPLOADS).logGb / uploads * uploadsPerDay);
            double logGb = logGbPerDay * Math.min(LOG_RETENTION_DAYS, days);
            gb += logGb;
            dollars += logGb * prices.usd("cloudwatch.logsStored");
            usd[i] = dollars;
            gbAfterTwelve = gb;
        }
        return new Storage(true, usd[0], usd[1], gbAfterTwelve);
    }

    static Map<Driver, Quantities> quantities(Usage usage, double durationFactor) {
        Map<Driver, Quantities> q = new EnumMap<>(Driver.class);
        for (Driver d : Driver.values()) {
            q.put(d, new Quantities());
        }
        long invocations = usage.lambda().stream().mapToLong(Usage.Lambda::invocations).sum();
        for (Usage.Lambda l : usage.lambda()) {
            Quantities d = q.get(driverOf(l.logicalId()));
            d.gbSeconds += l.billedMillis() * durationFactor / 1000.0 * l.memoryMb() / 1024.0;
            d.lambdaRequests += l.invocations();
            d.logGb += invocations == 0 ? 0 : usage.logBytes() * ((double) l.invocations() / invocations) / GB;
        }
        for (Usage.Call c : usage.aws()) {
            Quantities d = q.get(driverOf(c.callerLogicalId()));
            d.transferGb += c.crossRegionBytes() / GB;
            switch (c.service()) {
                case "dynamodb" -> {
                    d.readUnits += c.readUnits();
                    d.writeUnits += c.writeUnits();
                }
                case "kinesis" -> {
                    d.kinesisInGb += c.kinesisBilledKb() * 1024 / GB;
                    d.kinesisOutGb += c.kinesisPayloadBytes() / GB; // read once by the aggregator's mapping
                }
                case "s3" -> {
                    if (c.operation().equals("GET") || c.operation().equals("HEAD")) {
                        d.s3Gets += c.calls();
                    } else {
                        d.s3Puts += c.calls();
                    }
                }
                case "sqs" -> d.sqsRequests += c.calls();
                default -> {
                    // DynamoDB Streams reads are the event source mapping's: free for Lambda triggers
                }
            }
        }
        usage.httpApi().forEach((api, n) -> q.get(api.endsWith("/AnalyticsApi") ? Driver.ANALYSTS : Driver.PURCHASES)
                .httpRequests += n);
        return q;
    }

    private static Map<String, Double> scale(Map<String, Double> usd, double factor) {
        Map<String, Double> out = new LinkedHashMap<>();
        usd.forEach((k, v) -> out.put(k, v * factor));
        return out;
    }

    private static Map<String, Double> zero(Map<String, Double> like) {
        Map<String, Double> out = new LinkedHashMap<>();
        like.keySet().forEach(k -> out.put(k, 0.0));
        return out;
    }
}
