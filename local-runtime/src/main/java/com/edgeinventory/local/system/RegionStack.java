package com.edgeinventory.local.system;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.trigger.esm.DynamoDbStreamReader;
import com.edgeinventory.local.trigger.esm.KinesisStreamReader;
import com.edgeinventory.local.trigger.esm.ShardReader;
import com.edgeinventory.local.trigger.esm.SqsFailureDestination;
import com.edgeinventory.local.trigger.esm.StreamMapping;
import com.edgeinventory.local.trigger.esm.StreamPoller;
import com.edgeinventory.local.invoke.EnvVarsOverrides;
import com.edgeinventory.local.invoke.FunctionIdentities;
import com.edgeinventory.local.invoke.InvokeRequest;
import com.edgeinventory.local.invoke.InvokeResult;
import java.util.function.Function;
import com.edgeinventory.local.provision.LocalStack;
import com.edgeinventory.local.template.FunctionDef;
import com.edgeinventory.local.template.ResolveOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One region of a multi-region local stack: template.yaml provisioned at the shared endpoint with its
 * {@code DeploymentRole}, and how to run its functions.
 */
public record RegionStack(String name, boolean central, LocalStack stack, FunctionInvoker functions) implements AutoCloseable {

    /**
     * Central first, then every edge forwarding to the central stream; all provisioned at {@code endpoint}.
     *
     * @param functionLog where each invocation is announced (the functions' own output goes to the invoker's log)
     */
    public static List<RegionStack> openAll(Path templateFile, String central, List<String> edges, URI endpoint,
                                            Function<InvokeRequest, InvokeResult> invoker,
                                            FunctionIdentities identities, Progress progress, Progress functionLog) {
        return openAll(templateFile, central, edges, endpoint, invoker, identities, progress, functionLog, Map.of());
    }

    /** @param overrides template parameters for every region (DeploymentRole and CentralStreamArn are set here) */
    static List<RegionStack> openAll(Path templateFile, String central, List<String> edges, URI endpoint,
                                     Function<InvokeRequest, InvokeResult> invoker, FunctionIdentities identities,
                                     Progress progress, Progress functionLog, Map<String, String> overrides) {
        List<RegionStack> regions = new ArrayList<>();
        try {
            RegionStack c = open(templateFile, central, with(overrides, Map.of("DeploymentRole", "central")),
                    endpoint, invoker, identities, progress, functionLog);
            regions.add(c);
            String streamArn = c.stack().resources().arn("CentralStream");
            for (String edge : edges) {
                regions.add(open(templateFile, edge, with(overrides, Map.of("DeploymentRole", "edge",
                        "CentralStreamArn", streamArn)), endpoint, invoker, identities, progress, functionLog));
            }
            for (RegionStack region : regions) {
                region.requireCode();
            }
            return regions;
        } catch (RuntimeException e) {
            regions.forEach(RegionStack::close);
            throw e;
        }
    }

    private static RegionStack open(Path templateFile, String region, Map<String, String> parameters, URI endpoint,
                                    Function<InvokeRequest, InvokeResult> invoker, FunctionIdentities identities,
                                    Progress progress, Progress functionLog) {
        ResolveOptions options = ResolveOptions.defaults().withRegion(region).withParameterOverrides(parameters);
        progress.accept("provisioning " + region + " as " + parameters.get("DeploymentRole"));
        LocalStack stack = LocalStack.open(templateFile, options, Optional.of(endpoint), true,
                progress.prefixed(region + ": "));
        return new RegionStack(region, "central".equals(parameters.get("DeploymentRole")), stack,
                new FunctionInvoker(stack, EnvVarsOverrides.none(), invoker, identities, functionLog));
    }

    private static Map<String, String> with(Map<String, String> overrides, Map<String, String> fixed) {
        Map<String, String> all = new java.util.LinkedHashMap<>(overrides);
        all.putAll(fixed);
        return all;
    }

    /**
     * One event source mapping of one of this region's functions, as Lambda runs it: the stream's reader by kind,
     * invocations through this region's functions, failures to the mapping's on-failure destination. The one
     * wiring of a stream mapping, for {@code up} and {@code central-sample}.
     *
     * @param checkpoints where each shard resumes (empty: from its trim horizon)
     */
    public StreamPoller streamPoller(StreamMapping mapping, Map<String, String> checkpoints,
                              java.util.function.Consumer<String> log) {
        ShardReader reader = mapping.kind() == StreamMapping.Kind.DYNAMODB
                ? new DynamoDbStreamReader(stack.clients().dynamoDbStreams(), mapping.streamArn(), name)
                : new KinesisStreamReader(stack.clients().kinesis(), mapping.streamArn(), name);
        return new StreamPoller(mapping, reader, (m, event) -> functions.invoke(m.function(), event),
                new SqsFailureDestination(r -> stack.clients().sqs()), checkpoints, java.time.Clock.systemUTC(), log);
    }

    public FunctionDef function(String logicalId) {
        return stack.template().function(logicalId);
    }

    private void requireCode() {
        for (FunctionDef f : stack.template().functions()) {
            if (!Files.exists(f.codeUri())) {
                throw new LocalRuntimeException("Function code not found: " + f.codeUri() + " (CodeUri of "
                        + f.logicalId() + "). Build it with: ./mvnw package -DskipTests");
            }
        }
    }

    @Override
    public void close() {
        stack.close();
    }
}
