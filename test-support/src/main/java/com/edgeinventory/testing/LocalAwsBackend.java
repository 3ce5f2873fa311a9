package com.edgeinventory.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.template.TemplateResolver;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The endpoint behind {@link LocalAwsExtension}: started once per JVM, closed when the root context closes. */
abstract sealed class LocalAwsBackend implements ExtensionContext.Store.CloseableResource {

    static final String LOCALSTACK_IMAGE = "localstack/localstack:4.4";

    private final LocalAws localAws;

    LocalAwsBackend(URI endpoint) {
        Path repoRoot = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir"))).getParent();
        this.localAws = new LocalAws(endpoint, LocalAws.DEFAULT_REGION, repoRoot);
        this.localAws.onReset(this::reset);
    }

    static LocalAwsBackend start(String backendName) {
        String name = backendName == null || backendName.isBlank() ? "moto" : backendName.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "moto" -> new Moto(MotoServer.start());
            case "localstack" -> new LocalStack();
            default -> throw new IllegalStateException(LocalAwsExtension.BACKEND_VARIABLE + "=" + backendName
                    + " is not supported; use moto (default) or localstack");
        };
    }

    LocalAws localAws() {
        return localAws;
    }

    /** Deletes every resource, so each test class starts from an empty account. */
    abstract void reset();

    abstract void stop();

    @Override
    public final void close() {
        try {
            localAws.closeClients();
        } finally {
            stop();
        }
    }

    static final class Moto extends LocalAwsBackend {
        private final MotoServer server;

        Moto(MotoServer server) {
            super(server.endpoint());
            this.server = server;
        }

        @Override
        void reset() {
            server.reset();
        }

        @Override
        void stop() {
            server.close();
        }
    }

    static final class LocalStack extends LocalAwsBackend {
        private final LocalStackContainer container;

        LocalStack() {
            this(startContainer());
        }

        private LocalStack(LocalStackContainer container) {
            super(container.getEndpoint());
            this.container = container;
        }

        private static LocalStackContainer startContainer() {
            LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(LOCALSTACK_IMAGE))
                    .withServices("dynamodb", "s3", "sqs", "kinesis");
            container.start();
            return container;
        }

        @Override
        void reset() {
            for (AwsClients clients : localAws().usedClients()) {
                deleteTables(clients.dynamoDb());
                deleteQueues(clients.sqs());
                deleteStreams(clients.kinesis());
            }
            deleteBuckets(localAws().s3());
        }

        private static void deleteTables(DynamoDbClient dynamoDb) {
            dynamoDb.listTablesPaginator().tableNames().forEach(table -> dynamoDb.deleteTable(b -> b.tableName(table)));
        }

        private static void deleteQueues(SqsClient sqs) {
            sqs.listQueuesPaginator().queueUrls().forEach(url -> sqs.deleteQueue(b -> b.queueUrl(url)));
        }

        private static void deleteStreams(KinesisClient kinesis) {
            kinesis.listStreamsPaginator().streamNames().forEach(stream -> kinesis.deleteStream(b -> b
                    .streamName(stream).enforceConsumerDeletion(true)));
        }

        private static void deleteBuckets(S3Client s3) {
            s3.listBuckets().buckets().forEach(bucket -> {
                String name = bucket.name();
                s3.listObjectVersionsPaginator(b -> b.bucket(name)).forEach(page -> {
                    java.util.List<ObjectIdentifier> ids = new java.util.ArrayList<>();
                    page.versions().forEach(v -> ids.add(ObjectIdentifier.builder().key(v.key())
                            .versionId(v.versionId()).build()));
                    page.deleteMarkers().forEach(m -> ids.add(ObjectIdentifier.builder().key(m.key())
                            .versionId(m.versionId()).build()));
                    if (!ids.isEmpty()) {
                        s3.deleteObjects(b -> b.bucket(name).delete(d -> d.objects(ids).quiet(true)));
                    }
                });
                s3.listObjectsV2Paginator(b -> b.bucket(name)).contents().forEach(o ->
                        s3.deleteObject(b -> b.bucket(name).key(o.key())));
                s3.deleteBucket(b -> b.bucket(name));
            });
        }

        @Override
        void stop() {
            container.stop();
        }
    }
}
