package com.edgeinventory.local.template;

import java.util.List;
import java.util.Map;

/** One entry of a function's {@code Events}. */
public sealed interface EventSource permits EventSource.S3, EventSource.Generic {

    /** The event's key under {@code Events}. */
    String name();

    /** SAM event type: S3, Api, HttpApi, DynamoDB, Kinesis, SQS, Schedule ... */
    String type();

    /**
     * {@code Type: S3}: SAM turns it into a bucket notification.
     *
     * @param bucketLogicalId the bucket the event's {@code Bucket: !Ref X} points at
     * @param events          e.g. {@code s3:ObjectCreated:*}
     * @param filterRules     {@code Filter.S3Key.Rules}, in order
     */
    record S3(String name, String bucketLogicalId, List<String> events, List<FilterRule> filterRules)
            implements EventSource {
        public S3 {
            events = List.copyOf(events);
            filterRules = List.copyOf(filterRules);
        }

        @Override
        public String type() {
            return "S3";
        }
    }

    /** A prefix or suffix rule of an S3 key filter. */
    record FilterRule(String name, String value) {
    }

    /** Any other event type, kept with its resolved properties. */
    record Generic(String name, String type, Map<String, Object> properties) implements EventSource {
        public Generic {
            properties = Yamls.immutableCopy(properties);
        }
    }
}
