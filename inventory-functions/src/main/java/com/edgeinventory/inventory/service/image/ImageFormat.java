package com.edgeinventory.inventory.service.image;

import java.util.Locale;
import java.util.Set;

/** The formats we accept, recognised by their magic bytes. */
enum ImageFormat {
    JPEG("jpeg", "image/jpeg", "jpg", Set.of("jpg", "jpeg")),
    PNG("png", "image/png", "png", Set.of("png"));

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final String id;
    private final String contentType;
    private final String outputExtension;
    private final Set<String> extensions;

    ImageFormat(String id, String contentType, String outputExtension, Set<String> extensions) {
        this.id = id;
        this.contentType = contentType;
        this.outputExtension = outputExtension;
        this.extensions = extensions;
    }

    /** {@code "jpeg"} or {@code "png"}: the ImageIO format name and {@link ImageMetadata#format()}. */
    String id() {
        return id;
    }

    String contentType() {
        return contentType;
    }

    String outputExtension() {
        return outputExtension;
    }

    /** Whether a lower-case file-name extension (without the dot) agrees with this format. */
    boolean acceptsExtension(String extension) {
        return extensions.contains(extension);
    }

    String expectedExtensions() {
        return this == JPEG ? ".jpg or .jpeg" : ".png";
    }

    /** The format of {@code data} by content, or {@code null} when it is neither JPEG nor PNG. */
    static ImageFormat detect(byte[] data) {
        if (data.length >= 3 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xD8 && (data[2] & 0xFF) == 0xFF) {
            return JPEG;
        }
        if (startsWith(data, 0, PNG_SIGNATURE)) {
            return PNG;
        }
        return null;
    }

    /** A sentence naming what {@code data} seems to be, for an unsupported upload. */
    static String describeUnsupported(byte[] data) {
        String what = sniff(data);
        return (what == null ? "the content is not a recognised image" : "the content is a " + what + " image")
                + "; only JPEG and PNG are supported";
    }

    private static String sniff(byte[] d) {
        if (startsWith(d, 0, ascii("GIF87a")) || startsWith(d, 0, ascii("GIF89a"))) {
            return "GIF";
        }
        if (startsWith(d, 0, ascii("RIFF")) && startsWith(d, 8, ascii("WEBP"))) {
            return "WebP";
        }
        if (startsWith(d, 0, ascii("BM")) && d.length >= 14) {
            return "BMP";
        }
        if (startsWith(d, 0, new byte[] {'I', 'I', 42, 0}) || startsWith(d, 0, new byte[] {'M', 'M', 0, 42})) {
            return "TIFF";
        }
        if (startsWith(d, 4, ascii("ftyp")) && d.length >= 12) {
            String brand = new String(d, 8, 4, java.nio.charset.StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            if (brand.startsWith("hei") || brand.startsWith("hev") || brand.equals("mif1") || brand.equals("msf1")) {
                return "HEIC/HEIF";
            }
            if (brand.startsWith("avi")) {
                return "AVIF";
            }
        }
        if (d.length >= 4 && (d[0] & 0xFF) == 0xFF && (d[1] & 0xFF) == 0x0A) {
            return "JPEG XL";
        }
        return null;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
        if (data.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
