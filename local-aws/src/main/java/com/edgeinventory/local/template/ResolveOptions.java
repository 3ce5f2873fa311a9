package com.edgeinventory.local.template;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to resolve a template.
 *
 * @param region             value of {@code AWS::Region}
 * @param stackName          value of {@code AWS::StackName}, also the prefix of generated physical names
 * @param parameterOverrides {@code --parameter-overrides} values by parameter name
 * @param endpoint           the local AWS endpoint, used to build SQS queue URLs the way it returns them
 * @param deployed           values known from an actual deployment (queue URLs, stream ARNs)
 */
public record ResolveOptions(
        String region,
        String stackName,
        Map<String, String> parameterOverrides,
        Optional<URI> endpoint,
        DeployedValues deployed) {

    public static final String DEFAULT_REGION = "eu-west-1";
    public static final String DEFAULT_STACK_NAME = "edge-inventory";
    public static final String ACCOUNT_ID = "123456789012";

    public ResolveOptions {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(stackName, "stackName");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(deployed, "deployed");
        if (region.isBlank()) {
            throw new TemplateException("Region must not be blank");
        }
        parameterOverrides = Map.copyOf(new LinkedHashMap<>(parameterOverrides));
    }

    /** Region eu-west-1, stack edge-inventory, no overrides, no endpoint, nothing deployed. */
    public static ResolveOptions defaults() {
        return new ResolveOptions(DEFAULT_REGION, DEFAULT_STACK_NAME, Map.of(), Optional.empty(), DeployedValues.none());
    }

    public ResolveOptions withRegion(String newRegion) {
        return new ResolveOptions(newRegion, stackName, parameterOverrides, endpoint, deployed);
    }

    public ResolveOptions withStackName(String newStackName) {
        return new ResolveOptions(region, newStackName, parameterOverrides, endpoint, deployed);
    }

    public ResolveOptions withParameterOverrides(Map<String, String> overrides) {
        return new ResolveOptions(region, stackName, overrides, endpoint, deployed);
    }

    public ResolveOptions withEndpoint(URI newEndpoint) {
        return new ResolveOptions(region, stackName, parameterOverrides, Optional.of(newEndpoint), deployed);
    }

    public ResolveOptions withDeployed(DeployedValues newDeployed) {
        return new ResolveOptions(region, stackName, parameterOverrides, endpoint, newDeployed);
    }
}
