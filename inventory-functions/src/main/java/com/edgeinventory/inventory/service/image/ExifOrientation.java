package com.edgeinventory.inventory.service.image;

import java.awt.geom.AffineTransform;

/**
 * EXIF orientation (tag 0x0112 of IFD0): reading it from a TIFF block, and the transform that
 * turns stored pixels into displayed pixels.
 */
final class ExifOrientation {
    static final int NORMAL = 1;
    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;
    private static final int TYPE_LONG = 4;

    private ExifOrientation() {
    }

    /**
     * The orientation in the TIFF block at {@code data[offset, offset + length)}, or 1 when the
     * block is malformed, the tag is absent, or its value is out of range. Never throws for any
     * bounds that lie within {@code data}.
     */
    static int read(byte[] data, int offset, int length) {
        if (length < 8) {
            return NORMAL;
        }
        boolean little;
        if (data[offset] == 'I' && data[offset + 1] == 'I') {
            little = true;
        } else if (data[offset] == 'M' && data[offset + 1] == 'M') {
            little = false;
        } else {
            return NORMAL;
        }
        if (Bytes.u16(data, offset + 2, little) != 42) {
            return NORMAL;
        }
        long ifd = Bytes.u32(data, offset + 4, little);
        if (ifd < 8 || ifd + 2 > length) {
            return NORMAL;
        }
        int entries = Bytes.u16(data, offset + (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            long entry = ifd + 2 + 12L * i;
            if (entry + 12 > length) {
                return NORMAL;
            }
            int at = offset + (int) entry;
            if (Bytes.u16(data, at, little) != TAG_ORIENTATION) {
                continue;
            }
            int type = Bytes.u16(data, at + 2, little);
            long count = Bytes.u32(data, at + 4, little);
            long value = count < 1 ? -1
                    : type == TYPE_SHORT ? Bytes.u16(data, at + 8, little)
                    : type == TYPE_LONG ? Bytes.u32(data, at + 8, little)
                    : -1;
            return value >= 1 && value <= 8 ? (int) value : NORMAL;
        }
        return NORMAL;
    }

    /** Whether displaying with this orientation swaps width and height (5..8). */
    static boolean swapsAxes(int orientation) {
        return orientation >= 5;
    }

    /**
     * Maps stored coordinates of a {@code width x height} image to displayed coordinates. Pixel
     * edges map onto pixel edges, so a nearest-neighbour draw with it is an exact permutation.
     */
    static AffineTransform toDisplay(int orientation, int width, int height) {
        // AffineTransform(m00, m10, m01, m11, m02, m12): x' = m00 x + m01 y + m02, y' = m10 x + m11 y + m12
        return switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, width, 0);        // mirror horizontally
            case 3 -> new AffineTransform(-1, 0, 0, -1, width, height);  // rotate 180
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, height);       // mirror vertically
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);             // transpose
            case 6 -> new AffineTransform(0, 1, -1, 0, height, 0);       // rotate 90 clockwise
            case 7 -> new AffineTransform(0, -1, -1, 0, height, width);  // transverse
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, width);        // rotate 90 counter-clockwise
            default -> new AffineTransform();
        };
    }
}
