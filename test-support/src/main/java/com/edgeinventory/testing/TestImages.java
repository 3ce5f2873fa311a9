package com.edgeinventory.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;

import com.edgeinventory.local.sample.Jpeg;

/** Builds test images in memory with java2d, so no binaries are committed. */
public final class TestImages {
    public static final Color TOP_LEFT = Color.RED;
    public static final Color TOP_RIGHT = Color.GREEN;
    public static final Color BOTTOM_LEFT = Color.BLUE;
    public static final Color BOTTOM_RIGHT = Color.WHITE;

    private TestImages() {
    }

    /** An RGB image with a gradient and a few shapes. */
    public static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, new Color(30, 80, 160), width, height, new Color(240, 200, 60)));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.DARK_GRAY);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        return image;
    }

    /** Each quadrant a solid colour: red, green / blue, white. */
    public static BufferedImage quadrants(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(TOP_LEFT);
        g.fillRect(0, 0, width / 2, height / 2);
        g.setColor(TOP_RIGHT);
        g.fillRect(width / 2, 0, width - width / 2, height / 2);
        g.setColor(BOTTOM_LEFT);
        g.fillRect(0, height / 2, width / 2, height - height / 2);
        g.setColor(BOTTOM_RIGHT);
        g.fillRect(width / 2, height / 2, width - width / 2, height - height / 2);
        g.dispose();
        return image;
    }

    /** A JPEG at quality 0.95 ({@link Jpeg}, the writer the demo's catalog uses too). */
    public static byte[] jpeg(BufferedImage image) {
        return Jpeg.encode(image, 0.95f);
    }

    public static byte[] jpeg(IIOImage image) {
        return Jpeg.encode(image, 0.95f);
    }

    /** A four-channel (CMYK-like) JPEG, written from a raw raster. */
    public static byte[] cmykJpeg(int width, int height) {
        Raster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, width, height, 4, null);
        return jpeg(new IIOImage(raster, null, null));
    }

    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, bytes)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static BufferedImage decode(byte[] data) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(data));
            if (image == null) {
                throw new IllegalStateException("not an image");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TIFF block holding IFD0 with one orientation entry. */
    public static byte[] exifTiff(int orientation, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + 12 + 4).order(order);
        b.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        b.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        b.putShort((short) 42).putInt(8);
        b.putShort((short) 1);
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    /** Inserts an APP1 Exif segment holding {@code tiff} after the JPEG's SOI and APP0 segments. */
    public static byte[] withExif(byte[] jpeg, byte[] tiff) {
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            at = 4 + u16be(jpeg, 4);
        }
        byte[] header = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
        int length = 2 + header.length + tiff.length;
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
        out.put(jpeg, 0, at);
        out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(header).put(tiff);
        out.put(jpeg, at, jpeg.length - at);
        return out.array();
    }

    /** A PNG signature and IHDR claiming the given size, and nothing else of use. */
    public static byte[] pngHeader(long width, long height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 + 13 + 4 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        b.putInt(13).put("IHDR".getBytes(StandardCharsets.US_ASCII));
        b.putInt((int) width).putInt((int) height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        b.putInt(0); // CRC, not checked before the size checks
        b.putInt(0).put("IEND".getBytes(StandardCharsets.US_ASCII)).putInt(0xAE426082);
        return b.array();
    }

    /** The offset of the first SOF0/1/2 marker in a JPEG. */
    public static int sofOffset(byte[] jpeg) {
        int pos = 2;
        while (true) {
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
                return pos;
            }
            pos += 2 + u16be(jpeg, pos + 2);
        }
    }

    public static byte[] truncate(byte[] data, int length) {
        return Arrays.copyOf(data, length);
    }

    /** Whether {@code actual} is within {@code tolerance} of {@code expected} on every channel. */
    public static boolean near(int actualRgb, Color expected, int tolerance) {
        Color a = new Color(actualRgb, true);
        return Math.abs(a.getRed() - expected.getRed()) <= tolerance
                && Math.abs(a.getGreen() - expected.getGreen()) <= tolerance
                && Math.abs(a.getBlue() - expected.getBlue()) <= tolerance;
    }

    private static int u16be(byte[] d, int at) {
        return (d[at] & 0xFF) << 8 | (d[at + 1] & 0xFF);
    }
}
