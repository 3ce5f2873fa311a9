package com.edgeinventory.inventory.service.image;

/**
 * What the header says, read by hand before any decoding: enough to refuse a decompression bomb,
 * an unsupported JPEG process or colour space, and to know the EXIF orientation.
 */
sealed interface ImageHeader permits ImageHeader.Parsed, ImageHeader.Rejected {

    /**
     * @param width       stored width (before orientation)
     * @param height      stored height (before orientation)
     * @param components  JPEG colour components (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK); 0 for PNG
     * @param orientation EXIF orientation 1..8
     */
    record Parsed(ImageFormat format, int width, int height, int components, int orientation) implements ImageHeader {}

    record Rejected(ImageOutcome.Invalid invalid) implements ImageHeader {}

    static ImageHeader parse(ImageFormat format, byte[] data) {
        return switch (format) {
            case JPEG -> parseJpeg(data);
            case PNG -> parsePng(data);
        };
    }

    private static ImageHeader parsePng(byte[] d) {
        // signature(8) + length(4) + "IHDR"(4) + 13 bytes of IHDR data
        if (d.length < 8 + 8 + 13) {
            return corrupt("the PNG data ends before its IHDR header (" + d.length + " bytes)");
        }
        if (Bytes.u32be(d, 8) != 13 || d[12] != 'I' || d[13] != 'H' || d[14] != 'D' || d[15] != 'R') {
            return corrupt("the PNG data does not start with an IHDR chunk");
        }
        long width = Bytes.u32be(d, 16);
        long height = Bytes.u32be(d, 20);
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            return corrupt("the PNG header declares an impossible size " + width + "x" + height);
        }
        return new Parsed(ImageFormat.PNG, (int) width, (int) height, 0, 1);
    }

    private static ImageHeader parseJpeg(byte[] d) {
        int pos = 2; // after SOI
        int orientation = 1;
        boolean exifSeen = false;
        while (pos + 1 < d.length) {
            if ((d[pos] & 0xFF) != 0xFF) {
                return corrupt("the JPEG data has no marker at offset " + pos + " (damaged header)");
            }
            int marker = d[pos + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                pos++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) { // standalone markers
                pos += 2;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                return corrupt("the JPEG data has no frame header (SOF) before its image data");
            }
            if (pos + 4 > d.length) {
                break;
            }
            int length = Bytes.u16be(d, pos + 2);
            if (length < 2 || pos + 2 + length > d.length) {
                return corrupt(String.format("the JPEG segment 0x%02X at offset %d runs past the end of the data", marker, pos));
            }
            int body = pos + 4;
            int bodyLength = length - 2;
            if (marker == 0xE1 && !exifSeen && bodyLength >= 6 && isExif(d, body)) {
                exifSeen = true;
                orientation = ExifOrientation.read(d, body + 6, bodyLength - 6);
            } else if (isStartOfFrame(marker)) {
                return frame(d, marker, body, bodyLength, orientation);
            }
            pos += 2 + length;
        }
        return corrupt("the JPEG data ends before its frame header (SOF): the file is truncated");
    }

    private static ImageHeader frame(byte[] d, int marker, int body, int bodyLength, int orientation) {
        if (bodyLength < 6) {
            return corrupt("the JPEG frame header is too short");
        }
        if (marker != 0xC0 && marker != 0xC1 && marker != 0xC2) {
            String kind = switch (marker) {
                case 0xC3, 0xC7, 0xCB, 0xCF -> "lossless";
                case 0xC9, 0xCA -> "arithmetic-coded";
                default -> "hierarchical";
            };
            return new Rejected(ImageOutcome.invalid(ImageOutcome.Invalid.UNSUPPORTED_FORMAT,
                    String.format("%s JPEG (SOF 0x%02X) is not supported; save it as a baseline or progressive JPEG", kind, marker)));
        }
        int precision = d[body] & 0xFF;
        if (precision != 8) {
            return new Rejected(ImageOutcome.invalid(ImageOutcome.Invalid.UNSUPPORTED_FORMAT,
                    precision + "-bit JPEG is not supported; only 8-bit JPEG is"));
        }
        int height = Bytes.u16be(d, body + 1);
        int width = Bytes.u16be(d, body + 3);
        int components = d[body + 5] & 0xFF;
        return new Parsed(ImageFormat.JPEG, width, height, components, orientation);
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean isExif(byte[] d, int at) {
        return d[at] == 'E' && d[at + 1] == 'x' && d[at + 2] == 'i' && d[at + 3] == 'f' && d[at + 4] == 0 && d[at + 5] == 0;
    }

    private static Rejected corrupt(String message) {
        return new Rejected(ImageOutcome.invalid(ImageOutcome.Invalid.CORRUPT_IMAGE, message));
    }
}
