package com.edgeinventory.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.provision.Provisioner;
import com.edgeinventory.local.provision.StackResources;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateResolver;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A local AWS endpoint for tests, with SDK v2 clients built for it (static test credentials, url-connection HTTP
 * client, path-style S3, CBOR off for Kinesis) and provisioning of the repository's template.yaml.
 * Injected by {@link LocalAwsExtension}; clients are cached and shared by every test of the JVM.
 */
public final class LocalAws {

    public static final String DEFAULT_REGION = ResolveOptions.DEFAULT_REGION;

    private final URI endpoint;
    private final String region;
    private final Path repoRoot;
    private final Map<String, AwsClients> clientsByRegion = new LinkedHashMap<>();
    private Runnable resetter = () -> {
        throw new IllegalStateException("this LocalAws was not created by LocalAwsExtension and cannot be reset");
    };

    /** Local AWS at {@code endpoint}, region eu-west-1, repository found by walking up from user.dir. */
    public LocalAws(URI endpoint) {
        this(endpoint, DEFAULT_REGION, TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir")))
                .getParent());
    }

    public LocalAws(URI endpoint, String region, Path repoRoot) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.region = Objects.requireNonNull(region, "region");
        this.repoRoot = Objects.requireNonNull(repoRoot, "repoRoot");
    }

    /**
     * Empties the endpoint (every table, bucket, queue and stream, in every region). The extension does this
     * before each test class; a test that needs a clean account per method calls it in {@code @BeforeEach}.
     */
    public void reset() {
        resetter.run();
    }

    void onReset(Runnable resetter) {
        this.resetter = Objects.requireNonNull(resetter);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Default region of the clients and of {@link #provision(Map)}: eu-west-1. */
    public String region() {
        return region;
    }

    /** The directory holding template.yaml. */
    public Path repoRoot() {
        return repoRoot;
    }

    public Path templateFile() {
        return repoRoot.resolve(TemplateResolver.TEMPLATE_FILE);
    }

    public DynamoDbClient dynamoDb() {
        return clients().dynamoDb();
    }

    public DynamoDbStreamsClient dynamoDbStreams() {
        return clients().dynamoDbStreams();
    }

    /** Path-style S3 client. */
    public S3Client s3() {
        return clients().s3();
    }

    public SqsClient sqs() {
        return clients().sqs();
    }

    /** Kinesis client with CBOR disabled (moto speaks JSON only). */
    public KinesisClient kinesis() {
        return clients().kinesis();
    }

    /** The cached clients of the default region. */
    public AwsClients clients() {
        return clients(region);
    }

    /** The cached clients of {@code otherRegion}. */
    public synchronized AwsClients clients(String otherRegion) {
        return clientsByRegion.computeIfAbsent(otherRegion, r -> new AwsClients(endpoint, r));
    }

    /** Provisions template.yaml in the default region; returns logical id to physical id / ARN / queue URL. */
    public StackResources provision(Map<String, String> parameterOverrides) {
        return provision(region, parameterOverrides);
    }

    /** Provisions template.yaml in {@code targetRegion} with the given parameter overrides. */
    public StackResources provision(String targetRegion, Map<String, String> parameterOverrides) {
        ResolvedTemplate template = resolveTemplate(targetRegion, parameterOverrides);
        return new Provisioner(clients(targetRegion), progress()).provisionStack(template);
    }

    /**
     * template.yaml resolved for this endpoint (queue URLs as it returns them), before provisioning. Resolve
     * again with {@code options().withDeployed(stackResources)} to see deployed values such as stream ARNs.
     */
    public ResolvedTemplate resolveTemplate(String targetRegion, Map<String, String> parameterOverrides) {
        ResolveOptions options = ResolveOptions.defaults()
                .withRegion(targetRegion)
                .withParameterOverrides(parameterOverrides)
                .withEndpoint(endpoint);
        return TemplateResolver.resolve(templateFile(), options);
    }

    /** Regions whose clients were built: the ones tests touched. */
    synchronized Iterable<AwsClients> usedClients() {
        clients(region);
        return java.util.List.copyOf(clientsByRegion.values());
    }

    synchronized void closeClients() {
        clientsByRegion.values().forEach(AwsClients::close);
        clientsByRegion.clear();
    }

    private static Consumer<String> progress() {
        return line -> System.err.println("[provision] " + line);
    }

    @Override
    public String toString() {
        return "LocalAws[" + endpoint + ", " + region + "]";
    }
}
