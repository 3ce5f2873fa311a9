package com.edgeinventory.local.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.fault.DynamoDbFaults;
import com.edgeinventory.local.fault.FaultProxy;
import com.edgeinventory.local.fault.IamGate;
import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.provision.Provisioner;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateResolver;
import com.edgeinventory.local.testing.HandlerBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Credentials from before a SnapStart snapshot, reused after the restore. On AWS a snapshot is restored hours or
 * days after it was taken, so keys a function resolved during its init are long expired by then; the SDK's
 * container-credentials provider asks the endpoint again, a function that froze its keys in init does not. The
 * local runtime reproduces that: each environment fetches with a token of its own, keys issued before its restore
 * are taken back at the restore, and requests signed with them get AWS's {@code ExpiredTokenException} at the IAM
 * proxy. A function on the default chain works across the restore (with new keys); one that captured its
 * credentials in init fails, and the proxy's log names it.
 */
class SnapStartRestoreCredentialsIT {

    private static final String REGION = "eu-west-1";
    private static final String HANDLER = """
            package restore;

            import java.net.URI;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.Map;
            import org.crac.Context;
            import org.crac.Core;
            import org.crac.Resource;
            import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
            import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
            import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
            import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
            import software.amazon.awssdk.regions.Region;
            import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
            import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
            import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

            public class Handler implements Resource {
                private final AwsCredentialsProvider credentials;
                private final DynamoDbClient dynamo;
                private final List<String> seen = new ArrayList<>();

                public Handler() {
                    DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
                    // The mistake under test: the keys resolved once, in init, kept for good.
                    credentials = "capture".equals(System.getenv("CREDENTIALS"))
                            ? StaticCredentialsProvider.create(chain.resolveCredentials()) : chain;
                    dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                            .region(Region.of(System.getenv("AWS_REGION")))
                            .endpointOverride(URI.create(System.getenv("AWS_ENDPOINT_URL")))
                            .credentialsProvider(credentials).build();
                    Core.getGlobalContext().register(this);
                }

                @Override
                public void beforeCheckpoint(Context<? extends Resource> context) {
                    seen.add("primed " + read());
                }

                @Override
                public void afterRestore(Context<? extends Resource> context) {
                }

                public List<String> handle(Map<String, Object> event) {
                    seen.add("invoked " + read());
                    return seen;
                }

                private String read() {
                    try {
                        dynamo.getItem(b -> b.tableName(System.getenv("INVENTORY_TABLE")).key(Map.of(
                                "pk", AttributeValue.fromS("SKU#none"), "sk", AttributeValue.fromS("LEVEL"))));
                        return "OK " + credentials.resolveCredentials().accessKeyId();
                    } catch (DynamoDbException e) {
                        return "FAILED " + e.awsErrorDetails().errorCode();
                    }
                }
            }
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static MotoServer moto;
    private static FunctionIdentities identities;
    private static FaultProxy proxy;
    private static ResolvedTemplate edge;
    private static Path jar;
    private static Path ric;
    private static final List<String> log = new CopyOnWriteArrayList<>();
    private WarmInvoker invoker;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        edge = TemplateResolver.resolve(TemplateResolver.findTemplate(Path.of("").toAbsolutePath()),
                ResolveOptions.defaults().withRegion(REGION).withEndpoint(moto.endpoint()));
        try (AwsClients clients = new AwsClients(moto.endpoint(), REGION)) {
            new Provisioner(clients, line -> { }).provision(edge);
        }
        identities = new FunctionIdentities();
        proxy = FaultProxy.start(moto.endpoint(), DynamoDbFaults.NONE, log::add);
        proxy.enforce(new IamGate(identities, Map.of(REGION, edge), log::add));
        List<Path> bundled = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).filter(p -> p.toString().contains("/software/amazon/awssdk/")
                        || p.getFileName().toString().startsWith("reactive-streams-")
                        || p.getFileName().toString().startsWith("slf4j-api-")
                        || p.getFileName().toString().startsWith("crac-")).toList();
        jar = HandlerBuilder.jar(Map.of("restore.Handler", HANDLER), dir.resolve("build/restore.jar"), bundled);
        ric = LocalInvoker.locateRic(Path.of("").toAbsolutePath().getParent());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        identities.close();
        moto.close();
    }

    @AfterEach
    void closeInvoker() {
        if (invoker != null) {
            invoker.close();
        }
    }

    /** The stock function's identity and role, running the fixture handler, as up runs it. */
    private InvokeRequest request(String credentialsMode) {
        FunctionDef stock = edge.function("StockFunction");
        Map<String, String> variables = new java.util.LinkedHashMap<>(stock.environment());
        variables.put("CREDENTIALS", credentialsMode);
        FunctionDef fixture = new FunctionDef(stock.logicalId(), stock.functionName(), "restore.Handler::handle",
                "java25", jar, 512, 30, variables, List.of(), Map.of(), stock.logGroupName(),
                FunctionDef.Logging.TEXT, stock.arn(), true);
        return new InvokeRequest(fixture, "{}", variables, REGION, Optional.of(proxy.uri()),
                identities.credentials(REGION, fixture));
    }

    private List<String> publishThenInvoke(String credentialsMode) throws Exception {
        invoker = new WarmInvoker(ric, System.out, 1, Duration.ofMinutes(5));
        invoker.onRestore(identities::restored);
        assertThat(invoker.publish(request(credentialsMode))).isPresent();
        InvokeResult result = invoker.invoke(request(credentialsMode));
        assertThat(result.outcome()).isInstanceOf(InvokeOutcome.Success.class);
        return List.of(JSON.readValue(((InvokeOutcome.Success) result.outcome()).responseJson(), String[].class));
    }

    @Test
    void theDefaultChainFetchesNewKeysAfterTheRestore() throws Exception {
        List<String> seen = publishThenInvoke("default-chain");

        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).startsWith("primed OK ASIA");
        assertThat(seen.get(1)).startsWith("invoked OK ASIA");
        assertThat(seen.get(1).substring("invoked OK ".length()))
                .as("the keys after the restore are not the snapshot's")
                .isNotEqualTo(seen.get(0).substring("primed OK ".length()));
    }

    @Test
    void credentialsCapturedInInitAreExpiredAfterTheRestore() throws Exception {
        List<String> seen = publishThenInvoke("capture");

        assertThat(seen.get(0)).startsWith("primed OK ASIA");
        assertThat(seen.get(1)).isEqualTo("invoked FAILED ExpiredTokenException");
        assertThat(log).anySatisfy(line -> assertThat(line).contains("StockFunction")
                .contains("issued before its SnapStart restore"));
    }
}
