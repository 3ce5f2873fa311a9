package com.edgeinventory.inventory.service.image;

/**
 * Upper bounds checked before an image is decoded.
 *
 * @param maxBytes  largest accepted encoded size, in bytes
 * @param maxPixels largest accepted width x height, read from the header before decoding (a
 *                  decompression-bomb guard)
 */
public record ImageLimits(long maxBytes, long maxPixels) {

    /** 40 MiB and 100 megapixels. */
    public static final ImageLimits DEFAULT = new ImageLimits(40L * 1024 * 1024, 100_000_000L);

    public ImageLimits {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        if (maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBytes must fit in a Java array, was " + maxBytes);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, was " + maxPixels);
        }
    }
}
