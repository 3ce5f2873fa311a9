package com.edgeinventory.local.system;


import java.util.function.Function;

import java.util.Map;
import java.util.Optional;

import com.edgeinventory.local.invoke.EnvVarsOverrides;
import com.edgeinventory.local.invoke.FunctionIdentities;
import com.edgeinventory.local.invoke.InvokeRequest;
import com.edgeinventory.local.invoke.InvokeResult;
import com.edgeinventory.local.invoke.LocalInvoker;
import com.edgeinventory.local.provision.LocalStack;
import com.edgeinventory.local.template.FunctionDef;

/**
 * The one invoke path shared by {@code invoke}, {@code upload-sample} and the local system: the function's
 * variables with overrides, and its own credentials from {@link FunctionIdentities} as Lambda gives them.
 */
public final class FunctionInvoker {

    private final LocalStack stack;
    private final EnvVarsOverrides overrides;
    private final Function<InvokeRequest, InvokeResult> invoker;
    private final Progress announce;
    private final FunctionIdentities identities;

    /** @param announce where each invocation and each overridden variable is reported */
    public FunctionInvoker(LocalStack stack, EnvVarsOverrides overrides, LocalInvoker invoker,
                           FunctionIdentities identities, Progress announce) {
        this(stack, overrides, invoker::invoke, identities, announce);
    }

    /** @param invoker a one-shot {@link LocalInvoker} or a warm {@code WarmInvoker} */
    public FunctionInvoker(LocalStack stack, EnvVarsOverrides overrides,
                           Function<InvokeRequest, InvokeResult> invoker, FunctionIdentities identities,
                           Progress announce) {
        this.stack = stack;
        this.identities = identities;
        this.overrides = overrides;
        this.invoker = invoker;
        this.announce = announce;
    }

    public InvokeResult invoke(FunctionDef function, String eventJson) {
        Map<String, String> variables = overrides.apply(function.logicalId(), function.environment(),
                announce);
        announce.accept("invoking " + function.logicalId() + " (" + function.handler() + ", timeout "
                + function.timeoutSeconds() + " s)");
        return invoker.apply(request(function, eventJson, variables));
    }

    /** What an invocation of {@code function} sends: its variables, its region's endpoint, its own credentials. */
    public InvokeRequest request(FunctionDef function, String eventJson) {
        return request(function, eventJson, overrides.apply(function.logicalId(), function.environment(),
                line -> { }));
    }

    private InvokeRequest request(FunctionDef function, String eventJson, Map<String, String> variables) {
        String region = stack.template().region();
        return new InvokeRequest(function, eventJson, variables, region, Optional.of(stack.endpoint()),
                identities.credentials(region, function));
    }
}
