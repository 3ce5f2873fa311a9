package com.edgeinventory.cli.command;

import com.edgeinventory.cli.UsageException;

import com.edgeinventory.local.system.Json;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.redrive.Redrive;
import com.edgeinventory.local.redrive.RedriveReport;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateResolver;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code redrive}: puts on the central stream what the pipeline's failure paths hold, on demand: each edge's outbox
 * (records central refused, which the scheduled OutboxDrainer also sends) and the central aggregator's dead-letter
 * queue (pointers to stream ranges, re-read from the stream within its retention). Queue and stream names come
 * from template.yaml and {@code --parameter-overrides} (Stage). Prints what it did per source as JSON.
 */
final class RedriveCommand {

    static final String NAME = "redrive";
    static final Set<String> OPTIONS = Set.of("edges", "central", "region", "endpoint", "template",
            CliArgs.PARAMETER_OVERRIDES);
    static final String OUTBOX = "ForwarderOutboxQueue";
    static final String AGGREGATOR_DLQ = "CentralAggregatorDeadLetterQueue";
    static final String CENTRAL_STREAM = "CentralStream";
    static final String USAGE = """
            Usage: edge-inventory redrive [--edges eu-west-1,us-east-1] [--central us-east-2] [--region R]
                                          [--endpoint URL] [--parameter-overrides Stage=prod] [--template FILE]

            Puts on the central Kinesis stream what the edge-to-central pipeline's failure paths hold:
              outbox          each edge's ForwarderOutboxQueue: the compact records central refused (down,
                              throttling, unreachable, access denied), kept 14 days; the OutboxDrainer
                              function does the same every minute
              aggregator DLQ  the central CentralAggregatorDeadLetterQueue: Lambda's KinesisBatchInfo
                              pointers; each range is read again from the stream (within its 48 h retention)
                              and its records are put back on the stream (records that do not decode are not)
            A message is deleted once all its records are on the stream. Anything it cannot handle (central
            still refusing, a range already expired, an unreadable message) stays in its queue, with the
            reason in the report. Running it again, or alongside the drainer, is harmless: central applies a
            level only when it is newer and counts each sale once.
            Prints {"sources":[{"source","queue","messagesDone","recordsPut","messagesLeft","skipped",
            "reasons"}]}; exit status 0 when nothing was left, 1 when something was.

              --edges R,R     the edge regions whose outboxes to drain (default eu-west-1,us-east-1)
              --central R     the central region: its stream and aggregator DLQ (default us-east-2)
              --region R      only this region: an edge's outbox, or the central region's DLQ
              --endpoint URL  a local endpoint (bin/edge-inventory up's moto); without it, AWS with the
                              SDK's default credentials chain
              --parameter-overrides K=V   template parameters, e.g. Stage=prod (picks the names)
              --template FILE default: the repository's template.yaml
            """;

    private RedriveCommand() {
    }

    static int run(CliArgs args, CliContext context) {
        if (!args.positional().isEmpty()) {
            throw new UsageException(NAME, "redrive takes no arguments, got " + args.positional());
        }
        List<String> edges = CliArgs.regionList(NAME, args.option("edges").orElse("eu-west-1,us-east-1"));
        String central = args.option("central").orElse("us-east-2").trim();
        CliArgs.requireRegionName(NAME, central);
        if (edges.contains(central)) {
            throw new UsageException(NAME, "the central region " + central + " cannot also be an edge region");
        }
        Optional<String> only = args.option("region").map(String::trim);
        only.ifPresent(r -> CliArgs.requireRegionName(NAME, r));
        if (only.isPresent() && !only.get().equals(central) && !edges.contains(only.get())) {
            throw new UsageException(NAME, "--region " + only.get() + " is neither the central region (" + central
                    + ") nor one of --edges " + edges);
        }
        for (String fixed : List.of("DeploymentRole", "CentralStreamArn")) {
            if (args.parameterOverrides().containsKey(fixed)) {
                throw new UsageException(NAME, fixed + " is set by redrive for each region; leave it out");
            }
        }
        Optional<URI> endpoint = args.endpoint();
        ResolvedTemplate centralTemplate = resolve(context, args, central, Map.of("DeploymentRole", "central"));
        String stream = centralTemplate.resource(CENTRAL_STREAM).physicalId();
        String streamArn = "arn:aws:kinesis:" + central + ":" + centralTemplate.accountId() + ":stream/" + stream;

        Redrive redrive = new Redrive(context::progress);
        List<RedriveReport> reports = new ArrayList<>();
        try (Clients clients = new Clients(endpoint)) {
            for (String edge : edges) {
                if (only.isPresent() && !only.get().equals(edge)) {
                    continue;
                }
                String queue = resolve(context, args, edge, Map.of("DeploymentRole", "edge", "CentralStreamArn",
                        streamArn)).resource(OUTBOX).physicalId();
                SqsClient sqs = clients.sqs(edge);
                String url = queueUrl(sqs, queue, edge, endpoint);
                context.progress("outbox " + edge + ": " + url + " -> " + stream + " (" + central + ")");
                reports.add(redrive.outbox("outbox " + edge, sqs, url, clients.kinesis(central), stream));
            }
            if (only.isEmpty() || only.get().equals(central)) {
                String queue = centralTemplate.resource(AGGREGATOR_DLQ).physicalId();
                SqsClient sqs = clients.sqs(central);
                String url = queueUrl(sqs, queue, central, endpoint);
                context.progress("aggregator DLQ " + central + ": " + url + " -> " + stream);
                reports.add(redrive.aggregatorDeadLetters("aggregator-dlq " + central, sqs, url,
                        clients.kinesis(central)));
            }
        } catch (SdkException e) {
            throw new LocalRuntimeException("redrive stopped: " + e.getMessage()
                    + (endpoint.isEmpty() ? " (AWS credentials from the default chain)" : ""));
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode sources = out.putArray("sources");
        boolean complete = true;
        for (RedriveReport r : reports) {
            ObjectNode s = sources.addObject();
            s.put("source", r.source());
            s.put("queue", r.queueUrl());
            s.put("messagesDone", r.messagesDone());
            s.put("recordsPut", r.recordsPut());
            s.put("messagesLeft", r.messagesLeft());
            s.put("skipped", r.skipped());
            ArrayNode reasons = s.putArray("reasons");
            r.reasons().forEach(reasons::add);
            context.progress(r.source() + ": " + r.messagesDone() + " messages, " + r.recordsPut()
                    + " records put on " + stream + "; " + r.messagesLeft() + " messages left, " + r.skipped()
                    + " records skipped");
            complete &= r.complete();
        }
        context.out().println(Json.pretty(out));
        if (!complete) {
            context.progress("some messages were left in place; see the reasons above");
        }
        return complete ? 0 : 1;
    }

    private static ResolvedTemplate resolve(CliContext context, CliArgs args, String region,
                                            Map<String, String> role) {
        Map<String, String> parameters = new LinkedHashMap<>(args.parameterOverrides());
        parameters.putAll(role);
        return TemplateResolver.resolve(context.templateFile(args),
                ResolveOptions.defaults().withRegion(region).withParameterOverrides(parameters));
    }

    private static String queueUrl(SqsClient sqs, String name, String region, Optional<URI> endpoint) {
        try {
            return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        } catch (software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException e) {
            throw new LocalRuntimeException("queue " + name + " does not exist in " + region
                    + endpoint.map(u -> " at " + u).orElse("") + " (is the stack deployed with this Stage?)");
        }
    }

    /** SQS and Kinesis clients per region: the local endpoint's, or AWS's with the default credentials chain. */
    private static final class Clients implements AutoCloseable {
        private final Optional<URI> endpoint;
        private final Map<String, AwsClients> local = new LinkedHashMap<>();
        private final Map<String, SqsClient> sqs = new LinkedHashMap<>();
        private final Map<String, KinesisClient> kinesis = new LinkedHashMap<>();
        private final List<SdkClient> built = new ArrayList<>();

        Clients(Optional<URI> endpoint) {
            this.endpoint = endpoint;
        }

        SqsClient sqs(String region) {
            if (endpoint.isPresent()) {
                return local.computeIfAbsent(region, r -> new AwsClients(endpoint.get(), r)).sqs();
            }
            return sqs.computeIfAbsent(region, r -> track(SqsClient.builder().region(Region.of(r))
                    .httpClient(UrlConnectionHttpClient.create()).build()));
        }

        KinesisClient kinesis(String region) {
            if (endpoint.isPresent()) {
                return local.computeIfAbsent(region, r -> new AwsClients(endpoint.get(), r)).kinesis();
            }
            return kinesis.computeIfAbsent(region, r -> track(KinesisClient.builder().region(Region.of(r))
                    .httpClient(UrlConnectionHttpClient.create()).build()));
        }

        private <T extends SdkClient> T track(T client) {
            built.add(client);
            return client;
        }

        @Override
        public void close() {
            local.values().forEach(AwsClients::close);
            built.forEach(SdkClient::close);
        }
    }
}
