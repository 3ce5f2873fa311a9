package com.edgeinventory.central.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.edgeinventory.central.adapter.KinesisSink;
import com.edgeinventory.central.adapter.OutboxQueue;
import com.edgeinventory.central.service.OutboxDrain;
import java.util.Map;
import java.util.Objects;

/**
 * Edge, on a schedule: sends the records the forwarder kept in the outbox (while central could not take them) to
 * the central stream, and deletes each message once all its records are in (see {@link OutboxDrain}). Stops a
 * run when central refuses, or 15 s before the function's timeout. Returns the run's summary; when messages had
 * to be left, the summary is logged as a warning (the outbox's age alarm is what pages).
 *
 * <p>Environment: {@code OUTBOX_QUEUE_URL}, {@code OUTBOX_DEAD_LETTER_QUEUE_URL}, {@code CENTRAL_REGION},
 * {@code CENTRAL_STREAM_NAME}.
 */
public final class OutboxDrainer implements RequestHandler<Map<String, Object>, String> {

    static final long STOP_BEFORE_TIMEOUT_MILLIS = 15_000;

    private final OutboxDrain drain;

    public OutboxDrainer() {
        this(System.getenv());
    }

    private OutboxDrainer(Map<String, String> env) {
        this(Env.outbox(env), new KinesisSink(Env.centralKinesis(env), Env.required(env, "CENTRAL_STREAM_NAME")));
    }

    OutboxDrainer(OutboxQueue outbox, KinesisSink central) {
        this.drain = new OutboxDrain(Objects.requireNonNull(outbox), entries -> central.send(entries.stream()
                .map(e -> new KinesisSink.Entry(e.partitionKey(), e.data())).toList(), line -> { }));
    }

    @Override
    public String handleRequest(Map<String, Object> scheduledEvent, Context context) {
        LambdaLogger log = context.getLogger();
        OutboxDrain.Report report = drain.run(() -> context.getRemainingTimeInMillis() > STOP_BEFORE_TIMEOUT_MILLIS,
                line -> log.log(line, LogLevel.WARN));
        log.log(report.summary(), report.centralRefused() || report.messagesDeadLettered() > 0 ? LogLevel.WARN
                : LogLevel.INFO);
        return report.summary();
    }
}
