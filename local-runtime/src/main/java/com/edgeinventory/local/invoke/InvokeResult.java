package com.edgeinventory.local.invoke;

import java.time.Duration;

/**
 * One invocation.
 *
 * @param requestId the Lambda-Runtime-Aws-Request-Id that was used
 * @param outcome   response, error, timeout or crash
 * @param duration  from the event's delivery to the runtime until the outcome
 */
public record InvokeResult(String requestId, InvokeOutcome outcome, Duration duration) {

    public boolean succeeded() {
        return outcome instanceof InvokeOutcome.Success;
    }
}
