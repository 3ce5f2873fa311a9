package com.edgeinventory.inventory.service;

import com.edgeinventory.model.Sequencer;
import java.util.Objects;

/**
 * One S3 change the upload functions react to, already decoded from the notification record.
 *
 * @param key the URL-decoded object key
 */
public record UploadEvent(String bucket, String key, Change change, Sequencer sequencer) {

    public enum Change { CREATED, REMOVED }

    public UploadEvent {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(sequencer, "sequencer");
    }
}
