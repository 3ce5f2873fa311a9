package com.edgeinventory.local.template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A function after Globals are merged and intrinsics resolved.
 *
 * @param logicalId         key under {@code Resources}
 * @param functionName      physical name ({@code FunctionName} or {@code {StackName}-{LogicalId}})
 * @param handler           {@code Handler}
 * @param runtime           {@code Runtime}
 * @param codeUri           {@code CodeUri} resolved against the template's directory
 * @param memorySize        MB, default 128 as in Lambda
 * @param timeoutSeconds    default 3 as in Lambda
 * @param environment       declared environment variables with resolved string values
 * @param events            {@code Events}, in template order
 * @param eventInvokeConfig {@code EventInvokeConfig} (resolved), empty when absent
 * @param logGroupName      {@code LoggingConfig.LogGroup}, else {@code /aws/lambda/{functionName}}
 * @param logging           {@code LoggingConfig.LogFormat} and {@code ApplicationLogLevel}
 * @param arn               the function ARN
 * @param snapStart         {@code SnapStart.ApplyOn: PublishedVersions} with {@code AutoPublishAlias}: its triggers
 *                          reach a published, snapshotted version, whose environment Lambda restores from the
 *                          snapshot and gives container credentials instead of access-key variables
 */
public record FunctionDef(
        String logicalId,
        String functionName,
        String handler,
        String runtime,
        Path codeUri,
        int memorySize,
        int timeoutSeconds,
        Map<String, String> environment,
        List<EventSource> events,
        Map<String, Object> eventInvokeConfig,
        String logGroupName,
        Logging logging,
        String arn,
        boolean snapStart) {

    /**
     * How the function logs. Lambda tells the runtime through {@code AWS_LAMBDA_LOG_FORMAT} and, for JSON,
     * {@code AWS_LAMBDA_LOG_LEVEL}.
     *
     * @param format           {@code Text} (Lambda's default) or {@code JSON}
     * @param applicationLevel {@code ApplicationLogLevel}; for JSON Lambda's default is INFO
     */
    public record Logging(String format, String applicationLevel) {
        public static final Logging TEXT = new Logging("Text", "");

        public boolean json() {
            return "JSON".equals(format);
        }
    }

    /** A function without SnapStart. */
    public FunctionDef(String logicalId, String functionName, String handler, String runtime, Path codeUri,
                       int memorySize, int timeoutSeconds, Map<String, String> environment, List<EventSource> events,
                       Map<String, Object> eventInvokeConfig, String logGroupName, Logging logging, String arn) {
        this(logicalId, functionName, handler, runtime, codeUri, memorySize, timeoutSeconds, environment, events,
                eventInvokeConfig, logGroupName, logging, arn, false);
    }

    public FunctionDef {
        environment = Yamls.immutableStringMap(environment);
        events = List.copyOf(events);
        eventInvokeConfig = Yamls.immutableCopy(eventInvokeConfig);
    }

    /** The S3 events of this function, in template order. */
    public List<EventSource.S3> s3Events() {
        return events.stream()
                .filter(EventSource.S3.class::isInstance)
                .map(EventSource.S3.class::cast)
                .toList();
    }

    public Optional<EventSource> event(String name) {
        return events.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
