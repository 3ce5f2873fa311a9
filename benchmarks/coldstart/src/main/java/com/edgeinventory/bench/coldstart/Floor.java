package com.edgeinventory.bench.coldstart;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The cold-start floor: build one SDK v2 {@link DynamoDbClient} and do one PutItem, nothing else.
 *
 * <pre>java -cp floor-url.jar com.edgeinventory.bench.coldstart.Floor url TABLE
 * java -cp floor-crt.jar com.edgeinventory.bench.coldstart.Floor crt TABLE</pre>
 *
 * <p>Configured as cheaply as the function's {@code AwsClients}: explicit HTTP client, region and credentials
 * from the environment variables (no provider-chain probing), endpoint from {@code AWS_ENDPOINT_URL}. So the
 * floor is the real minimum for "one client, one call", not a default-configured strawman.
 *
 * <p>Prints {@code done_epoch_ms} (wall clock when the PutItem has returned) for run.sh, which subtracts the
 * launch time: that is the cold start as Lambda would see it, without JVM shutdown.
 *
 * <p>Each HTTP client is built in its own class, so the variant not chosen is never loaded (and its jar need
 * not be on the classpath).
 */
public final class Floor {

    private Floor() {}

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        SdkHttpClient http = switch (args[0]) {
            case "url" -> UrlHttp.create();
            case "crt" -> CrtHttp.create();
            default -> throw new IllegalArgumentException("http client must be url or crt, got " + args[0]);
        };
        DynamoDbClient ddb = DynamoDbClient.builder()
                .httpClient(http)
                .region(Region.of(SdkSystemSetting.AWS_REGION.getStringValueOrThrow()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build();
        ddb.putItem(b -> b.tableName(args[1]).item(Map.of(
                "pk", AttributeValue.fromS("BENCH#floor"),
                "sk", AttributeValue.fromS("FLOOR"),
                "client", AttributeValue.fromS(args[0]))));
        long done = System.currentTimeMillis();
        System.out.println("floor=" + args[0] + " done_epoch_ms=" + done + " main_ms=" + (System.nanoTime() - t0) / 1_000_000);
        System.exit(0);
    }

    static final class UrlHttp {
        static SdkHttpClient create() {
            return software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder().build();
        }
    }

    static final class CrtHttp {
        static SdkHttpClient create() {
            return software.amazon.awssdk.http.crt.AwsCrtHttpClient.builder().build();
        }
    }
}
