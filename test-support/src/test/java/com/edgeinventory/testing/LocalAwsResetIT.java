package com.edgeinventory.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A second class: it must start from an empty endpoint, whatever the other classes created. */
@ExtendWith(LocalAwsExtension.class)
class LocalAwsResetIT {

    @Test
    void everyTestClassStartsEmpty(LocalAws aws) {
        assertThat(aws.dynamoDb().listTables().tableNames()).isEmpty();
        assertThat(aws.s3().listBuckets().buckets()).isEmpty();
        assertThat(aws.sqs().listQueues().queueUrls()).isEmpty();

        aws.sqs().createQueue(b -> b.queueName("left-behind"));
    }
}
