package com.edgeinventory.inventory.service.image;

import java.util.List;
import java.util.Objects;

/** The result of processing one uploaded image: thumbnails, or why it was rejected. */
public sealed interface ImageOutcome permits ImageOutcome.Processed, ImageOutcome.Invalid {

    record Processed(ImageMetadata metadata, List<Thumbnail> thumbnails) implements ImageOutcome {
        public Processed {
            Objects.requireNonNull(metadata, "metadata");
            thumbnails = List.copyOf(thumbnails);
        }
    }

    /**
     * A rejected upload.
     *
     * @param code    machine-readable reason, one of the constants below
     * @param message what is wrong, for a person
     */
    record Invalid(String code, String message) implements ImageOutcome {
        /** No bytes at all. */
        public static final String EMPTY = "EMPTY";
        /** More bytes than {@link ImageLimits#maxBytes()}. */
        public static final String TOO_LARGE_BYTES = "TOO_LARGE_BYTES";
        /** Not JPEG or PNG content (GIF, WebP, BMP, TIFF, HEIC, anything else). */
        public static final String UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT";
        /** The file name's extension does not match the content. */
        public static final String EXTENSION_MISMATCH = "EXTENSION_MISMATCH";
        /** Truncated or damaged data. */
        public static final String CORRUPT_IMAGE = "CORRUPT_IMAGE";
        /** The header declares a zero width or height. */
        public static final String ZERO_DIMENSIONS = "ZERO_DIMENSIONS";
        /** The header declares more pixels than {@link ImageLimits#maxPixels()}. */
        public static final String TOO_MANY_PIXELS = "TOO_MANY_PIXELS";
        /** A JPEG whose colour space we do not convert (CMYK, YCCK, two-channel). */
        public static final String UNSUPPORTED_COLOR_SPACE = "UNSUPPORTED_COLOR_SPACE";

        public Invalid {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    static Invalid invalid(String code, String message) {
        return new Invalid(code, message);
    }
}
