package com.edgeinventory.inventory.service.image;

import java.util.Objects;

/**
 * What was learnt about an accepted image.
 *
 * @param width       displayed width, i.e. after applying the EXIF orientation
 * @param height      displayed height, i.e. after applying the EXIF orientation
 * @param format      {@code "jpeg"} or {@code "png"}, detected from the content
 * @param bytes       encoded size
 * @param orientation EXIF orientation 1..8; 1 when absent or unreadable
 */
public record ImageMetadata(int width, int height, String format, long bytes, int orientation) {
    public ImageMetadata {
        Objects.requireNonNull(format, "format");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("dimensions must be positive: " + width + "x" + height);
        }
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("orientation must be 1..8, was " + orientation);
        }
    }
}
