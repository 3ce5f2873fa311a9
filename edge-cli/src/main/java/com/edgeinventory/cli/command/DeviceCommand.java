package com.edgeinventory.cli.command;

import com.edgeinventory.cli.UsageException;
import com.edgeinventory.devices.DevicesTable;

import com.edgeinventory.local.system.Json;
import com.edgeinventory.local.system.LocalDevices;

import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.edgeinventory.devices.DeviceKeys;
import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedResource;
import com.edgeinventory.local.template.TemplateResolver;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * {@code device add --store S [--device D]} and {@code device disable --device D}: provisions device identities
 * in the template's DevicesTable. {@code add} generates a 32-byte secret, stores only its hash and prints the
 * {@code Authorization} value once. Items are written through the
 * table's one owner, devices-table's {@code DevicesTable}, which the authorizer reads with.
 */
final class DeviceCommand {

    static final String NAME = "device";
    static final Set<String> OPTIONS = Set.of("store", "device", "endpoint", "region", "template",
            CliArgs.PARAMETER_OVERRIDES);
    static final String USAGE = """
            Usage: edge-inventory device add --store STORE [--device DEVICE_ID] [--endpoint URL] [--region R]
                                             [--parameter-overrides K=V ...] [--template FILE]
                   edge-inventory device disable --device DEVICE_ID [--endpoint URL] [--region R] [...]

            add      creates a device of a store in the template's DevicesTable with a new random secret and
                     prints {"deviceId", "storeId", "authorization": "Device {deviceId}:{secret}"}. This is the
                     only time the secret is shown; the table keeps its SHA-256 only. An existing id is an error.
            disable  sets a device to DISABLED; the API refuses it within 6 minutes (authorizer caches).

              --store STORE               the device's store, 1-64 of A-Z a-z 0-9 _ - (add only)
              --device DEVICE_ID          1-64 of A-Z a-z 0-9 _ -; add generates one when omitted
              --endpoint URL              local AWS endpoint, e.g. http://127.0.0.1:5000; without it, the
                                          AWS account of the default credentials
              --region R                  default: $AWS_REGION, else eu-west-1
              --parameter-overrides K=V   template parameter values, e.g. Stage=test (picks the table name)
              --template FILE             default: the repository's template.yaml
            """;

    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceCommand() {
    }

    static int run(CliArgs args, CliContext context) {
        List<String> positional = args.positional();
        if (positional.isEmpty()) {
            throw new UsageException(NAME, "device needs an action: add or disable");
        }
        if (positional.size() > 1) {
            throw new UsageException(NAME, "device takes one action, got " + positional);
        }
        return switch (positional.getFirst()) {
            case "add" -> add(args, context);
            case "disable" -> disable(args, context);
            default -> throw new UsageException(NAME, "Unknown device action '" + positional.getFirst()
                    + "'; use add or disable");
        };
    }

    private static int add(CliArgs args, CliContext context) {
        String store = args.option("store").orElseThrow(() -> new UsageException(NAME,
                "device add needs --store STORE"));
        requireId("--store", store);
        String device = args.option("device").orElseGet(DeviceCommand::newDeviceId);
        requireId("--device", device);
        Optional<URI> endpoint = args.endpoint();
        ResolveOptions options = context.resolveOptions(args);
        String table = tableName(context, args, options);
        String authorization = call(endpoint, options.region(), table,
                dynamo -> LocalDevices.register(dynamo, table, store, device));
        ObjectNode out = Json.MAPPER.createObjectNode()
                .put("deviceId", device)
                .put("storeId", store)
                .put("authorization", authorization);
        context.out().println(Json.pretty(out));
        context.progress("added device " + device + " of store " + store + " to " + table
                + "; the secret above is not stored and cannot be shown again");
        return 0;
    }


    private static int disable(CliArgs args, CliContext context) {
        if (args.option("store").isPresent()) {
            throw new UsageException(NAME, "device disable takes no --store");
        }
        String device = args.option("device").orElseThrow(() -> new UsageException(NAME,
                "device disable needs --device DEVICE_ID"));
        requireId("--device", device);
        ResolveOptions options = context.resolveOptions(args);
        String table = tableName(context, args, options);
        String store = call(args.endpoint(), options.region(), table,
                dynamo -> LocalDevices.disable(dynamo, table, device));
        ObjectNode out = Json.MAPPER.createObjectNode()
                .put("deviceId", device)
                .put("storeId", store)
                .put("status", "DISABLED");
        context.out().println(Json.pretty(out));
        return 0;
    }

    private static String newDeviceId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "device-" + HexFormat.of().formatHex(bytes);
    }

    private static void requireId(String option, String value) {
        if (!DeviceKeys.ID.matcher(value).matches()) {
            throw new UsageException(NAME, option + " '" + value + "' must be 1-64 of A-Z a-z 0-9 _ -");
        }
    }

    /** The DevicesTable's physical name under the given parameters, from template.yaml. */
    private static String tableName(CliContext context, CliArgs args, ResolveOptions options) {
        ResolvedResource table = TemplateResolver.resolve(context.templateFile(args), options).resource(LocalDevices.TABLE);
        if (!table.type().equals(ResolvedResource.TABLE)) {
            throw new LocalRuntimeException(LocalDevices.TABLE + " is a " + table.type() + ", not a DynamoDB table");
        }
        return table.physicalId();
    }

    private interface DynamoCall<T> {
        T apply(DynamoDbClient dynamo);
    }

    private static <T> T call(Optional<URI> endpoint, String region, String table, DynamoCall<T> call) {
        String where = endpoint.map(URI::toString).orElse("AWS (" + region + ")");
        try {
            if (endpoint.isPresent()) {
                try (AwsClients clients = new AwsClients(endpoint.get(), region)) {
                    return call.apply(clients.dynamoDb());
                }
            }
            try (DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.of(region))
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                return call.apply(dynamo);
            }
        } catch (ResourceNotFoundException e) {
            throw new LocalRuntimeException("Table " + table + " does not exist at " + where
                    + endpoint.map(u -> "; run 'edge-inventory provision --endpoint " + u + "' first").orElse(""));
        } catch (AwsServiceException e) {
            throw new LocalRuntimeException("DynamoDB at " + where + " refused the request: "
                    + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()));
        } catch (SdkClientException e) {
            throw new LocalRuntimeException(endpoint.isPresent()
                    ? "Cannot reach the AWS endpoint " + where + ": " + e.getMessage()
                    : "Cannot call DynamoDB in " + region + ": " + e.getMessage());
        }
    }
}
