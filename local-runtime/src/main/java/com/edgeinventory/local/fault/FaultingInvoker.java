package com.edgeinventory.local.fault;

import com.edgeinventory.local.invoke.InvokeRequest;
import com.edgeinventory.local.invoke.InvokeResult;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The invoke path with faults in front: every invocation is first offered to the {@link FaultPlan} (a matching
 * event gets its synthetic outcome and the function does not run), and the functions' AWS endpoint is swapped
 * for the {@link FaultProxy} when there is one, so their DynamoDB calls can be throttled while the local tool's own
 * clients keep the direct endpoint.
 */
public final class FaultingInvoker implements Function<InvokeRequest, InvokeResult> {

    private final Function<InvokeRequest, InvokeResult> next;
    private final FaultPlan plan;
    private final Optional<URI> functionsEndpoint;
    private final Consumer<String> log;

    /**
     * @param functionsEndpoint the AWS endpoint the functions get instead of the request's (the proxy); empty =
     *                          unchanged
     */
    public FaultingInvoker(Function<InvokeRequest, InvokeResult> next, FaultPlan plan, Optional<URI> functionsEndpoint,
                           Consumer<String> log) {
        this.next = next;
        this.plan = plan;
        this.functionsEndpoint = functionsEndpoint;
        this.log = log;
    }

    @Override
    public InvokeResult apply(InvokeRequest request) {
        Optional<FaultPlan.Rule> rule = plan.match(request.function(), request.eventJson());
        if (rule.isPresent()) {
            log.accept("fault " + rule.get() + ": " + request.function().logicalId() + " not run");
            return plan.intercept(request.function(), request.eventJson()).orElseThrow();
        }
        return next.apply(functionsView(request));
    }

    /** The request as the function sees it: its AWS endpoint is the proxy when there is one. */
    public InvokeRequest functionsView(InvokeRequest request) {
        if (functionsEndpoint.isEmpty() || request.endpoint().isEmpty()) {
            return request;
        }
        return new InvokeRequest(request.function(), request.eventJson(), request.variables(), request.region(),
                functionsEndpoint, request.credentials());
    }
}
