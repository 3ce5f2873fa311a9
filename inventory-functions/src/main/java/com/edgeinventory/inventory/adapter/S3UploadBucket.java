package com.edgeinventory.inventory.adapter;

import com.edgeinventory.inventory.service.UploadBucket;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The upload bucket in S3. */
public final class S3UploadBucket implements UploadBucket {

    private final S3Client s3;

    public S3UploadBucket(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * Reads an object whole, unless it is larger than {@code maxBytes}.
     *
     * @return empty when the object no longer exists (it was deleted or replaced after the event)
     */
    @Override
    public Optional<Read> read(String bucket, String key, long maxBytes) {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            Long length = in.response().contentLength();
            if (length != null && length > maxBytes) {
                in.abort();
                return Optional.of(new Read.TooLarge(length));
            }
            byte[] bytes = readAtMost(in, maxBytes);
            return Optional.of(bytes == null ? new Read.TooLarge(maxBytes + 1) : new Read.Content(bytes));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading s3://" + bucket + "/" + key, e);
        }
    }

    private static byte[] readAtMost(InputStream in, long maxBytes) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        return bytes.length > maxBytes ? null : bytes;
    }

    @Override
    public void put(String bucket, String key, byte[] content, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content));
    }

    /** Server-side copy within the bucket; returns false when the source no longer exists. */
    @Override
    public boolean copy(String bucket, String fromKey, String toKey) {
        try {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(fromKey).destinationBucket(bucket).destinationKey(toKey));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /**
     * Sends one HEAD for a key that does not exist, so that the first real request of a new container does not
     * pay for loading the S3 request pipeline. Needs only the s3:GetObject permission on {@code key}. Failures are
     * ignored: this only saves time.
     */
    public void prime(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException expected) {
            // 404 (or 403 without s3:ListBucket) is the normal answer; anything else is retried by the real request.
        }
    }

    @Override
    public void delete(String bucket, String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }
}
