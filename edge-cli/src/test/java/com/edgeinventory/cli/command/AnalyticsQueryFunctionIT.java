package com.edgeinventory.cli.command;


import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateResolver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code analytics --endpoint} with the real AnalyticsQueryFunction of template.yaml (central role) and its
 * central-pipeline jar: the central stack provisioned into moto, levels and freshness seeded in the layouts of
 * central-pipeline's {@code LevelsTable} and {@code FreshnessItems}. The reactor packages central-pipeline first
 * (edge-cli's pom), so a missing function or jar fails here rather than skipping.
 */
class AnalyticsQueryFunctionIT {

    private static final Path REPO_TEMPLATE = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir")));
    private static final String HANDLER_CLASS = "com/edgeinventory/central/handler/AnalyticsQuery.class";
    private static final String SKU = "TR-RUN-42-BLU";
    /** 2026-11-27T08:00:00Z. */
    private static final long AT = 1795766400000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MotoServer moto;

    @BeforeAll
    static void setUp() throws IOException {
        ResolveOptions central = ResolveOptions.defaults().withParameterOverrides(Map.of("DeploymentRole", "central"));
        ResolvedTemplate template = TemplateResolver.resolve(REPO_TEMPLATE, central);
        Optional<FunctionDef> function = template.functions().stream()
                .filter(f -> f.logicalId().equals(AnalyticsCommand.FUNCTION)).findFirst();
        assertThat(function).as("template.yaml's " + AnalyticsCommand.FUNCTION).isPresent();
        assertThat(Files.isRegularFile(function.get().codeUri()) && hasEntry(function.get().codeUri(), HANDLER_CLASS))
                .as(function.get().codeUri() + " with " + HANDLER_CLASS + " (./mvnw -pl central-pipeline package)")
                .isTrue();

        moto = MotoServer.start();
        CliRunner.Run provision = run(List.of("provision", "--endpoint", moto.endpoint().toString(), "--parameter-overrides",
                "DeploymentRole=central"));
        assertThat(provision.status()).as(provision.err()).isZero();

        String levels = template.resource("CentralLevelsTable").physicalId();
        String sales = template.resource("CentralSalesTable").physicalId();
        try (AwsClients clients = new AwsClients(moto.endpoint(), template.region())) {
            DynamoDbClient dynamo = clients.dynamoDb();
            dynamo.putItem(b -> b.tableName(levels).item(level("eu-west-1", 3, 1, 2, 5)));
            dynamo.putItem(b -> b.tableName(levels).item(level("us-east-1", 7, 0, 1, 2)));
            dynamo.putItem(b -> b.tableName(levels).item(Map.of("sku", s(SKU), "region", s("#ALL"),
                    "available", n(10), "reserved", n(1), "sold", n(3))));
            dynamo.putItem(b -> b.tableName(sales).item(Map.of("pk", s("FRESHNESS"), "sk", s("eu-west-1"),
                    "atMillis", n(AT))));
        }
    }

    @AfterAll
    static void tearDown() {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void availabilityListsTheRegionsAndTheTotals() throws Exception {
        CliRunner.Run json = run(analytics("availability", SKU, "--format", "json"));
        CliRunner.Run table = run(analytics("availability", SKU));

        assertThat(json.status()).as(json.err()).isZero();
        JsonNode body = JSON.readTree(json.out());
        assertThat(body.get("query").asText()).isEqualTo("availability");
        assertThat(body.get("items")).hasSize(2);
        assertThat(body.at("/items/0/region").asText()).isEqualTo("eu-west-1");
        assertThat(body.at("/items/0/available").asLong()).isEqualTo(3);
        assertThat(body.at("/items/1/region").asText()).isEqualTo("us-east-1");
        assertThat(body.at("/totals/region").asText()).isEqualTo("ALL");
        assertThat(body.at("/totals/available").asLong()).isEqualTo(10);
        assertThat(table.status()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("region").contains("available");
        assertThat(lines.get(2)).startsWith("eu-west-1").contains(" 3 ");
        assertThat(lines.get(lines.size() - 2)).matches("-+(  -+)*");
        assertThat(lines.getLast()).startsWith("ALL").contains(" 10 ");
    }

    @Test
    void freshnessNamesEachEdgeRegionsNewestData() {
        CliRunner.Run run = run(analytics("freshness", "--format", "csv"));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("region,").contains("\r\neu-west-1,2026-11-27T08:00:00");
    }

    @Test
    void theApisRefusalIsExitOneWithTheOptionAtFault() {
        CliRunner.Run run = run(analytics("low-stock", "--edge", "mars"));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("error: ").contains("mars").contains("(field region, given as --edge; HTTP 400");
    }

    private static List<String> analytics(String... args) {
        List<String> all = new ArrayList<>(List.of("analytics"));
        all.addAll(List.of(args));
        all.addAll(List.of("--endpoint", moto.endpoint().toString()));
        return all;
    }

    private static Map<String, AttributeValue> level(String region, long available, long reserved, long sold,
                                                     long version) {
        return Map.of("sku", s(SKU), "region", s(region), "available", n(available), "reserved", n(reserved),
                "sold", n(sold), "version", n(version), "atMillis", n(AT), "deleted", AttributeValue.fromBool(false));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static boolean hasEntry(Path jar, String entry) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(entry) != null;
        }
    }

    private static CliRunner.Run run(List<String> args) {
        return CliRunner.run(REPO_TEMPLATE.getParent(), Map.of(), Optional.of(REPO_TEMPLATE.getParent()), args);
    }
}
