package com.edgeinventory.cli.cost;

import com.edgeinventory.local.LocalRuntimeException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The list prices the cost report uses: one data file, each price with its unit, its source and the date it was
 * checked ({@code prices-us-east-1.json} in this package; {@code cost --prices FILE} replaces it).
 */
public record Prices(String region, String checked, Map<String, Price> prices) {

    /** One price: US dollars per {@code per}. */
    public record Price(double usd, String per, String source, String checked) {}

    /** Every price the report needs; a prices file must give them all. */
    static final Set<String> REQUIRED = Set.of("lambda.arm64.gbSecond", "lambda.requests",
            "dynamodb.writeRequestUnits", "dynamodb.readRequestUnits", "dynamodb.storage", "httpApi.requests",
            "kinesis.onDemand.streamHour", "kinesis.onDemand.dataIn", "kinesis.onDemand.dataOut",
            "transfer.interRegion", "s3.put", "s3.get", "s3.storage", "sqs.requests", "cloudwatch.logsIngested",
            "cloudwatch.logsStored",
            "cloudwatch.alarm", "ec2.m7g.large", "elb.alb", "elb.albLcu", "rds.postgres.m7g.large.multiAz",
            "rds.gp3.multiAz");

    private static final ObjectMapper JSON = new ObjectMapper();

    public double usd(String name) {
        Price p = prices.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no price " + name);
        }
        return p.usd();
    }

    /** The prices shipped with the CLI. */
    public static Prices defaults() {
        try (InputStream in = Prices.class.getResourceAsStream("prices-us-east-1.json")) {
            return parse(JSON.readTree(in), "the built-in prices");
        } catch (IOException e) {
            throw new IllegalStateException("the built-in prices cannot be read", e);
        }
    }

    /** A prices file; a clear error names what is missing or wrong. */
    public static Prices read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot read the prices file " + file + ": " + e.getMessage(), e);
        }
        return parse(root, file.toString());
    }

    static Prices parse(JsonNode root, String where) {
        if (root == null || !root.path("prices").isObject()) {
            throw new LocalRuntimeException(where + ": not a prices file (no \"prices\" object)");
        }
        Map<String, Price> prices = new LinkedHashMap<>();
        root.path("prices").properties().forEach(e -> {
            JsonNode p = e.getValue();
            if (!p.path("usd").isNumber() || p.path("usd").asDouble() < 0) {
                throw new LocalRuntimeException(where + ": price " + e.getKey() + " has no \"usd\" number >= 0");
            }
            if (!p.path("source").isTextual() || !p.path("checked").isTextual()) {
                throw new LocalRuntimeException(where + ": price " + e.getKey()
                        + " needs its \"source\" and the date it was \"checked\"");
            }
            prices.put(e.getKey(), new Price(p.path("usd").asDouble(), p.path("per").asText(""),
                    p.path("source").asText(), p.path("checked").asText()));
        });
        Set<String> missing = new TreeSet<>(REQUIRED);
        missing.removeAll(prices.keySet());
        if (!missing.isEmpty()) {
            throw new LocalRuntimeException(where + ": missing prices " + missing);
        }
        return new Prices(root.path("region").asText("?"), root.path("checked").asText("?"), prices);
    }
}
