package com.edgeinventory.local.provision;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.edgeinventory.local.template.DeployedValues;
import com.edgeinventory.local.template.ResolvedResource;

/**
 * Lookup of what was provisioned: logical id to physical id, ARN, queue URL, stream ARN.
 * Every accessor fails with a message naming the known logical ids when the id is unknown.
 */
public final class StackResources implements DeployedValues {

    private final Map<String, ProvisionedResource> byLogicalId;

    public StackResources(List<ProvisionedResource> resources) {
        Map<String, ProvisionedResource> map = new LinkedHashMap<>();
        resources.forEach(r -> map.put(r.logicalId(), r));
        this.byLogicalId = Collections.unmodifiableMap(map);
    }

    /** Every resource, in provisioning order. */
    public List<ProvisionedResource> all() {
        return List.copyOf(byLogicalId.values());
    }

    public Optional<ProvisionedResource> find(String logicalId) {
        return Optional.ofNullable(byLogicalId.get(logicalId));
    }

    public ProvisionedResource get(String logicalId) {
        ProvisionedResource resource = byLogicalId.get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("No provisioned resource " + logicalId + "; known: "
                    + String.join(", ", byLogicalId.keySet()));
        }
        return resource;
    }

    /** Table, bucket, queue or stream name. */
    public String physicalId(String logicalId) {
        return get(logicalId).physicalId();
    }

    public String arn(String logicalId) {
        return attribute(logicalId, "Arn");
    }

    /** URL of an {@code AWS::SQS::Queue}. */
    public String queueUrl(String logicalId) {
        return attribute(logicalId, "QueueUrl");
    }

    /** Latest stream ARN of a DynamoDB table with a StreamSpecification. */
    public String streamArn(String logicalId) {
        return attribute(logicalId, "StreamArn");
    }

    public String attribute(String logicalId, String attribute) {
        ProvisionedResource resource = get(logicalId);
        return resource.attribute(attribute).orElseThrow(() -> new IllegalArgumentException(
                logicalId + " (" + resource.type() + ") has no attribute " + attribute + "; it has "
                        + String.join(", ", resource.attributes().keySet())));
    }

    @Override
    public Optional<String> findRef(String logicalId) {
        return find(logicalId).map(r -> r.type().equals(ResolvedResource.QUEUE)
                ? r.attributes().getOrDefault("QueueUrl", r.physicalId())
                : r.physicalId());
    }

    @Override
    public Optional<String> findAttribute(String logicalId, String attribute) {
        return find(logicalId).flatMap(r -> r.attribute(attribute));
    }

    @Override
    public String toString() {
        return "StackResources" + byLogicalId.keySet();
    }
}
