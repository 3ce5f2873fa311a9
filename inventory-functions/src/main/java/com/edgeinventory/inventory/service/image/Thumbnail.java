package com.edgeinventory.inventory.service.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * One encoded thumbnail.
 *
 * @param longSide    the requested long side; {@code max(width, height)} equals it unless the
 *                    source was smaller (images are never upscaled)
 * @param contentType {@code image/jpeg} or {@code image/png}
 * @param extension   {@code jpg} or {@code png}, without a dot
 * @param bytes       the encoded image; not copied, so do not modify it
 */
public record Thumbnail(int longSide, int width, int height, String contentType, String extension, byte[] bytes) {
    public Thumbnail {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Thumbnail t
                && longSide == t.longSide && width == t.width && height == t.height
                && contentType.equals(t.contentType) && extension.equals(t.extension)
                && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(longSide, width, height, contentType, extension, Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        return "Thumbnail[longSide=" + longSide + ", " + width + "x" + height + ", " + contentType
                + ", " + bytes.length + " bytes]";
    }
}
