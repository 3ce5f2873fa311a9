package com.edgeinventory.cli.command;

import com.edgeinventory.cli.UsageException;
import com.edgeinventory.cli.cost.CostChart;
import com.edgeinventory.cli.cost.CostModel;
import com.edgeinventory.cli.cost.Prices;
import com.edgeinventory.cli.cost.Usage;
import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code cost}: what a month costs at the user's rates, from a finished run's measured usage (the demo writes it)
 * and the list prices; per service, per million purchases and per thousand uploads, the idle cost, the always-on
 * comparison and its break-even rate, and optionally the chart as SVG or PNG.
 */
final class CostCommand {

    static final String NAME = "cost";
    static final Set<String> OPTIONS = Set.of("usage", "prices", "purchases-per-second", "uploads-per-day", "regions",
            "duration-factor", "chart", "template");
    static final String USAGE = """
            Usage: edge-inventory cost [--purchases-per-second N] [--uploads-per-day N] [--regions N]
                                       [--usage FILE] [--prices FILE] [--duration-factor F] [--chart FILE.svg|FILE.png]

            What one month costs at the given rates, from the usage a finished run measured (bin/edge-inventory demo
            writes it: every AWS call of the functions with DynamoDB read/write units, Kinesis payload units and
            cross-region bytes, every invocation with its handler time and memory, the HTTP APIs' requests, the log
            bytes) and list prices (us-east-1, each with its source and date). Prints $ per million purchases and per
            thousand uploads by service, the idle cost per edge region and for central, the month at the rates, and
            the same workload on an always-on backend (2 x m7g.large + ALB + Multi-AZ RDS per region) with the rate
            at which the two cost the same.

              --purchases-per-second N  per edge region (default 10)
              --uploads-per-day N       product.json, image and stock-file uploads per edge region (default 2000)
              --regions N               edge regions; central is one more (default 2)
              --usage FILE              default: the last demo's, ~/.cache/edge-inventory/usage/last-demo.json
              --prices FILE             default: the built-in us-east-1 list prices (same shape to override)
              --duration-factor F       Lambda's handler time over the one measured locally (default 1.0)
              --chart FILE              also write the chart (FILE.svg or FILE.png): monthly $ against
                                        purchases/s, both backends, the break-even marked
            """;

    private CostCommand() {
    }

    static int run(CliArgs args, CliContext context) {
        if (!args.positional().isEmpty()) {
            throw new UsageException(NAME, "cost takes no arguments, got " + args.positional());
        }
        Optional<CostChart.Format> chartFormat = args.option("chart").map(f -> CostChart.Format.of(f).orElseThrow(
                () -> new UsageException(NAME, "--chart must name a .svg or .png file, got " + f)));
        Usage usage = Usage.read(usageFile(args, context));
        Prices prices = args.option("prices").map(f -> Prices.read(context.resolve(f))).orElseGet(Prices::defaults);
        int regions = (int) args.number(NAME, "regions", 2, 1, 50);
        Map<String, Integer> alarms = alarms(context.templateFile(args));
        CostModel.Rates rates = new CostModel.Rates(args.number(NAME, "purchases-per-second", 10, 0, 1e6),
                args.number(NAME, "uploads-per-day", 2000, 0, 1e9), regions,
                args.number(NAME, "duration-factor", 1, 0.01, 100),
                alarms.get("edge"), alarms.get("central"));
        CostModel.Report report;
        try {
            report = CostModel.of(usage, prices, rates);
        } catch (IllegalArgumentException e) {
            throw new LocalRuntimeException("Cannot price this run: " + e.getMessage());
        }
        context.out().print(render(report, usage, prices));
        if (args.option("chart").isPresent()) {
            Path chart = context.resolve(args.option("chart").get());
            try {
                Files.write(chart, CostChart.render(report, chartFormat.orElseThrow()));
            } catch (IOException e) {
                throw new LocalRuntimeException("Cannot write the chart " + chart + ": " + e.getMessage(), e);
            }
            context.progress("chart written to " + chart);
        }
        return 0;
    }

    static Path usageFile(CliArgs args, CliContext context) {
        return args.option("usage").map(context::resolve).orElseGet(() -> defaultUsageFile(context));
    }

    /** Where the demo writes its usage: $XDG_CACHE_HOME, else ~/.cache, then edge-inventory/usage/last-demo.json. */
    static Path defaultUsageFile(CliContext context) {
        String cache = context.environment().get("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(context.environment().getOrDefault("HOME", System.getProperty("user.home")), ".cache");
        return base.resolve("edge-inventory").resolve("usage").resolve("last-demo.json");
    }


    /** The alarms each role deploys, counted in template.yaml. */
    static Map<String, Integer> alarms(Path templateFile) {
        return Map.of("edge", alarmCount(templateFile, "edge"), "central", alarmCount(templateFile, "central"));
    }

    private static int alarmCount(Path templateFile, String role) {
        ResolvedTemplate template = TemplateResolver.resolve(templateFile, ResolveOptions.defaults()
                .withParameterOverrides(Map.of("DeploymentRole", role)));
        return template.resourcesOfType("AWS::CloudWatch::Alarm").size();
    }

    static String render(CostModel.Report r, Usage usage, Prices prices) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Measured: %d purchases and %d uploads in %.0f s over %d edge region(s)"
                        + "; prices %s, checked %s%n", r.purchases(), r.uploads(), usage.seconds(), usage.edgeRegions(),
                prices.region(), prices.checked()));
        out.append(String.format(Locale.ROOT, "Rates: %s purchases/s and %s uploads/day per edge region, %d edge"
                        + " region(s) + central, Lambda time x %s%n%n", CliArgs.plain(r.rates().purchasesPerSecond()),
                CliArgs.plain(r.rates().uploadsPerDay()), r.rates().edgeRegions(),
                CliArgs.plain(r.rates().durationFactor())));
        out.append(String.format(Locale.ROOT, "%-24s %16s %16s %14s %14s%n", "service", "$/M purchases",
                "$/1000 uploads", "idle $/month", "$/month"));
        for (CostModel.Line l : r.lines()) {
            out.append(String.format(Locale.ROOT, "%-24s %16.2f %16.4f %14.2f %14.2f%n", l.service(),
                    l.perMillionPurchases(), l.perThousandUploads(), l.idleMonthly(), l.monthly()));
        }
        out.append(String.format(Locale.ROOT, "%-24s %16.2f %16.4f %14s %14.2f%n%n", "total", r.perMillionPurchases(),
                r.perThousandUploads(), "", r.monthly()));
        out.append(String.format(Locale.ROOT, "Idle (no traffic): $%.2f per edge region and $%.2f for central per month,"
                + " plus the schedules' invocations above%n", r.idleEdgeMonthly(), r.idleCentralMonthly()));
        CostModel.Storage st = r.storage();
        out.append(st.measured()
                ? String.format(Locale.ROOT, "Storage (DynamoDB items, S3 objects, log archives, as kept): $%.2f per"
                        + " month after the first month, $%.2f after twelve (%.1f GB), also paid with no traffic%n",
                        st.firstMonth(), st.twelfthMonth(), st.gbAfterTwelve())
                : "Storage: not in this usage file (a demo of this version surveys it); left out\n");
        out.append(String.format(Locale.ROOT, "Always-on (2 x m7g.large + ALB + Multi-AZ db.m7g.large per region, %d"
                        + " regions): $%.2f per month at these rates%n", r.rates().edgeRegions() + 1,
                r.alwaysOnMonthly()));
        out.append(r.breakEvenPurchasesPerSecond() < 0
                ? "Break-even: none, serverless stays cheaper at any rate\n"
                : String.format(Locale.ROOT, "Break-even: %.1f purchases/s per edge region ($%.2f per month either"
                        + " way); below it serverless costs less%n", r.breakEvenPurchasesPerSecond(),
                        r.serverlessAt(r.breakEvenPurchasesPerSecond())));
        if (r.analystsPerQuery() > 0) {
            out.append(String.format(Locale.ROOT, "Analytics queries (not in the totals): $%.7f per query%n",
                    r.analystsPerQuery()));
        }
        if (!r.unknownFunctions().isEmpty()) {
            out.append("Counted with purchases (no known driver): ").append(r.unknownFunctions()).append('\n');
        }
        return out.toString();
    }
}
