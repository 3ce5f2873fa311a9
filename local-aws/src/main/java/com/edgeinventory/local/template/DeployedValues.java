package com.edgeinventory.local.template;

import java.util.Optional;

/**
 * Values only a real (or local) deployment knows, such as a queue URL or a DynamoDB stream ARN with its
 * timestamp label. When present they win over the values the resolver derives from names.
 */
public interface DeployedValues {

    /** What {@code Ref} of the resource returns once deployed. */
    Optional<String> findRef(String logicalId);

    /** What {@code Fn::GetAtt} of the resource returns once deployed. */
    Optional<String> findAttribute(String logicalId, String attribute);

    /** Nothing deployed yet: every value is derived from the template. */
    static DeployedValues none() {
        return new DeployedValues() {
            @Override
            public Optional<String> findRef(String logicalId) {
                return Optional.empty();
            }

            @Override
            public Optional<String> findAttribute(String logicalId, String attribute) {
                return Optional.empty();
            }
        };
    }
}
