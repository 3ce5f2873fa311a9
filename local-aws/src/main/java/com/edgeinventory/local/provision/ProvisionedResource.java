package com.edgeinventory.local.provision;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A resource as it exists at the endpoint.
 *
 * @param logicalId  template logical id (or {@code {Function}{Event}Queue} for S3 notification queues)
 * @param type       CloudFormation type, e.g. {@code AWS::SQS::Queue}
 * @param physicalId table / bucket / queue / stream name
 * @param attributes what {@code Fn::GetAtt} returns: {@code Arn}, {@code StreamArn}, {@code QueueUrl} ...
 */
public record ProvisionedResource(String logicalId, String type, String physicalId, Map<String, String> attributes) {

    public ProvisionedResource {
        Objects.requireNonNull(logicalId, "logicalId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(physicalId, "physicalId");
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }
}
