package com.edgeinventory.inventory.service;

import java.util.Optional;

/** What the upload services need from the upload bucket: read uploads, write derived and rejected objects. */
public interface UploadBucket {

    /** An object read from the bucket, or only its size when it was larger than the caller's limit. */
    sealed interface Read permits Read.Content, Read.TooLarge {
        record Content(byte[] bytes) implements Read {}

        record TooLarge(long size) implements Read {}
    }

    /**
     * Reads an object whole, unless it is larger than {@code maxBytes}.
     *
     * @return empty when the object no longer exists (deleted or replaced after the event was sent)
     */
    Optional<Read> read(String bucket, String key, long maxBytes);

    void put(String bucket, String key, byte[] content, String contentType);

    /** Copies within the bucket; returns false when the source no longer exists. */
    boolean copy(String bucket, String fromKey, String toKey);

    void delete(String bucket, String key);
}
