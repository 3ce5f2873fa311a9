package com.edgeinventory.inventory.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.amazonaws.services.lambda.runtime.tests.annotations.Events;
import com.edgeinventory.inventory.service.UploadEvent;
import com.edgeinventory.model.Sequencer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** The events/ fixtures, loaded by aws-lambda-java-tests as Lambda would deserialize them. */
class S3RecordsTest {

    @ParameterizedTest
    @Events(events = {
        @Event("s3-product-created.json"), @Event("s3-image-created.json"), @Event("s3-stock-created.json"),
        @Event("s3-image-deleted.json"), @Event("s3-product-deleted.json")
    }, type = S3Event.class)
    void everyFixtureMapsToAnOrderedUploadEvent(S3Event event) {
        S3EventNotificationRecord record = event.getRecords().getFirst();

        UploadEvent upload = S3Records.toUploadEvent(record);

        assertThat(upload.bucket()).isEqualTo("edge-inventory-dev-uploads-123456789012-eu-west-1");
        assertThat(upload.key()).isEqualTo(record.getS3().getObject().getKey());
        assertThat(upload.change()).isEqualTo(record.getEventName().startsWith("ObjectCreated:")
                ? UploadEvent.Change.CREATED : UploadEvent.Change.REMOVED);
        assertThat(upload.sequencer()).isEqualTo(Sequencer.of(record.getS3().getObject().getSequencer()));
    }

    @Test
    void keysAreUrlDecodedAsS3EncodesThem() {
        S3Event event = UploadFixture.event("s3-image-created.json");
        S3EventNotificationRecord record = event.getRecords().getFirst();
        S3EventNotificationRecord encoded = new S3EventNotificationRecord(record.getAwsRegion(), record.getEventName(),
                record.getEventSource(), "2026-11-27T08:00:01.000Z", record.getEventVersion(),
                record.getRequestParameters(), record.getResponseElements(),
                new com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3Entity(
                        record.getS3().getConfigurationId(), record.getS3().getBucket(),
                        new com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity(
                                "products%2FTR-RUN-42-BLU%2Fimages%2Fside+view.jpg", 1L, "etag", null,
                                record.getS3().getObject().getSequencer()),
                        record.getS3().getS3SchemaVersion()),
                record.getUserIdentity());

        assertThat(S3Records.toUploadEvent(encoded).key()).isEqualTo("products/TR-RUN-42-BLU/images/side view.jpg");
    }

    @Test
    void eventsOtherThanCreateAndRemoveAreMalformedHere() {
        S3EventNotificationRecord record = UploadFixture.event("s3-product-created.json").getRecords().getFirst();
        S3EventNotificationRecord restore = new S3EventNotificationRecord(record.getAwsRegion(), "ObjectRestore:Completed",
                record.getEventSource(), "2026-11-27T08:00:01.000Z", record.getEventVersion(),
                record.getRequestParameters(), record.getResponseElements(), record.getS3(), record.getUserIdentity());

        assertThatThrownBy(() -> S3Records.toUploadEvent(restore))
                .isInstanceOf(S3Records.MalformedEventException.class)
                .hasMessageContaining("unsupported S3 event ObjectRestore:Completed");
    }
}
