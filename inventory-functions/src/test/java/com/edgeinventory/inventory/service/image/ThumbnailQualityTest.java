package com.edgeinventory.inventory.service.image;

import com.edgeinventory.testing.TestImages;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Objective thumbnail quality: a down-scaler that skips pixels instead of low-pass filtering them
 * turns detail finer than the thumbnail's pixel grid into false patterns (aliasing). The test
 * images are made of exactly such detail, so the correct thumbnail is predictable:
 *
 * <ul>
 *   <li>a 1-pixel black/white checkerboard must become a flat mid grey (pixel skipping makes it
 *       black, white or a moiré);</li>
 *   <li>a zone plate (concentric rings whose frequency grows with the radius) must become flat grey
 *       where the rings are finer than the thumbnail's pixels, and keep its contrast in the middle
 *       where they are coarse (so the filter does not simply blur everything).</li>
 * </ul>
 *
 * The numbers are on the 512 thumbnail's luma (0..255). {@link #measure} is also what the
 * old-vs-new comparison in the report was run with.
 */
class ThumbnailQualityTest {
    private final ImageProcessor processor = new ImageProcessor(ImageLimits.DEFAULT, List.of(128, 512));

    /** Mean and standard deviation of some thumbnail pixels. */
    record Stats(double mean, double stddev) {
        @Override
        public String toString() {
            return String.format("mean %.1f, stddev %.1f", mean, stddev);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"png", "jpeg", "progressive-jpeg"})
    void onePixelCheckerboardBecomesFlatMidGrey(String encoding) {
        BufferedImage thumb = thumbnail(encode(checkerboard(2400, 1600), encoding), encoding, 1);

        Stats all = stats(thumb, 0, 0, thumb.getWidth(), thumb.getHeight());
        Stats inner = stats(thumb, 8, 8, thumb.getWidth() - 16, thumb.getHeight() - 16);

        assertThat(thumb.getWidth()).isEqualTo(512);
        assertThat(all.mean()).as("%s checkerboard: %s", encoding, all).isBetween(118.0, 137.0);
        assertThat(inner.stddev()).as("%s checkerboard: %s", encoding, inner).isLessThan(4.0);
        BufferedImage small = thumbnail(encode(checkerboard(2400, 1600), encoding), encoding, 0);
        Stats smallStats = stats(small, 2, 2, small.getWidth() - 4, small.getHeight() - 4);
        assertThat(smallStats.mean()).as("%s checkerboard 128: %s", encoding, smallStats).isBetween(118.0, 137.0);
        assertThat(smallStats.stddev()).as("%s checkerboard 128: %s", encoding, smallStats).isLessThan(4.0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"png", "jpeg", "progressive-jpeg"})
    void zonePlateRingsFinerThanTheThumbnailBecomeGreyAndCoarseRingsStay(String encoding) {
        ZonePlate zone = new ZonePlate(3000, 2000);
        BufferedImage thumb = thumbnail(encode(zone.image(), encoding), encoding, 1);

        Stats fine = zone.fineRings(thumb);
        Stats coarse = zone.coarseRings(thumb);

        assertThat(fine.mean()).as("%s fine rings: %s", encoding, fine).isBetween(112.0, 143.0);
        assertThat(fine.stddev()).as("%s fine rings: %s", encoding, fine).isLessThan(6.0);
        assertThat(coarse.stddev()).as("%s coarse rings: %s", encoding, coarse).isGreaterThan(60.0);
    }

    @Test
    void rotatedZonePlateIsFilteredTheSameWay() {
        ZonePlate zone = new ZonePlate(3000, 2000);
        byte[] data = TestImages.withExif(encode(zone.image(), "jpeg"), TestImages.exifTiff(6, java.nio.ByteOrder.BIG_ENDIAN));

        ImageOutcome.Processed result = (ImageOutcome.Processed) processor.process("z.jpg", data);
        BufferedImage thumb = TestImages.decode(result.thumbnails().get(1).bytes());

        assertThat(thumb.getWidth()).isEqualTo(341);
        assertThat(thumb.getHeight()).isEqualTo(512);
        // the plate is symmetric, so its rings measure the same after a quarter turn
        BufferedImage turned = new BufferedImage(512, 341, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 341; y++) {
            for (int x = 0; x < 512; x++) {
                turned.setRGB(x, y, thumb.getRGB(y, x));
            }
        }
        assertThat(zone.fineRings(turned).stddev()).isLessThan(6.0);
        assertThat(zone.coarseRings(turned).stddev()).isGreaterThan(60.0);
    }

    /** Averaging respects alpha: transparent pixels' colour must not leak into opaque neighbours. */
    @Test
    void alphaCheckerboardAveragesWithPremultipliedAlpha() {
        BufferedImage image = new BufferedImage(1200, 800, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, ((x + y) & 1) == 0 ? 0xFFFF0000 : 0x0000FF00); // opaque red / transparent green
            }
        }
        BufferedImage thumb = thumbnail(TestImages.encode(image, "png"), "png", 1);

        int centre = thumb.getRGB(256, 170);
        assertThat(centre >>> 24).isBetween(120, 136);
        assertThat(new Color(centre, true)).extracting(Color::getRed, Color::getGreen, Color::getBlue)
                .satisfies(c -> {
                    assertThat((Integer) c.get(0)).isGreaterThan(245);
                    assertThat((Integer) c.get(1)).isLessThan(10);
                    assertThat((Integer) c.get(2)).isLessThan(10);
                });
    }

    /** Greyscale, palette, 16-bit and interlaced PNGs go through the other decode paths; all must filter. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grey", "palette", "16-bit", "interlaced"})
    void otherPngLayoutsAreFilteredToo(String layout) {
        BufferedImage checker = checkerboard(1600, 1000);
        BufferedImage source = switch (layout) {
            case "grey" -> convert(checker, BufferedImage.TYPE_BYTE_GRAY);
            case "palette" -> convert(checker, BufferedImage.TYPE_BYTE_BINARY);
            case "16-bit" -> convert(checker, BufferedImage.TYPE_USHORT_GRAY);
            default -> checker;
        };
        byte[] data = layout.equals("interlaced") ? interlacedPng(source) : TestImages.encode(source, "png");

        BufferedImage thumb = thumbnail(data, "png", 1);

        Stats inner = stats(thumb, 8, 8, thumb.getWidth() - 16, thumb.getHeight() - 16);
        assertThat(inner.mean()).as("%s: %s", layout, inner).isBetween(118.0, 137.0);
        assertThat(inner.stddev()).as("%s: %s", layout, inner).isLessThan(4.0);
    }

    // ---- helpers, also used by the old-vs-new measurement ----

    /** Checkerboard and zone plate statistics of one processor, for a report. */
    static String measure(ImageProcessor processor) {
        StringBuilder sb = new StringBuilder();
        for (String encoding : List.of("png", "jpeg")) {
            BufferedImage thumb = thumbnail(processor, encode(checkerboard(2400, 1600), encoding), encoding, 1);
            sb.append(String.format("checkerboard %-5s 512: all %s; inner %s%n", encoding,
                    stats(thumb, 0, 0, thumb.getWidth(), thumb.getHeight()),
                    stats(thumb, 8, 8, thumb.getWidth() - 16, thumb.getHeight() - 16)));
            ZonePlate zone = new ZonePlate(3000, 2000);
            BufferedImage z = thumbnail(processor, encode(zone.image(), encoding), encoding, 1);
            sb.append(String.format("zone plate   %-5s 512: fine rings %s; coarse rings %s%n", encoding,
                    zone.fineRings(z), zone.coarseRings(z)));
        }
        return sb.toString();
    }

    private BufferedImage thumbnail(byte[] data, String encoding, int index) {
        return thumbnail(processor, data, encoding, index);
    }

    private static BufferedImage thumbnail(ImageProcessor processor, byte[] data, String encoding, int index) {
        ImageOutcome outcome = processor.process(encoding.equals("png") ? "t.png" : "t.jpg", data);
        assertThat(outcome).isInstanceOf(ImageOutcome.Processed.class);
        return TestImages.decode(((ImageOutcome.Processed) outcome).thumbnails().get(index).bytes());
    }

    static BufferedImage checkerboard(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                px[y * width + x] = ((x + y) & 1) == 0 ? 0 : (byte) 255;
            }
        }
        return convert(image, BufferedImage.TYPE_INT_RGB);
    }

    /**
     * cos(pi r^2 / n): the local frequency is r / n cycles per pixel, reaching the source's Nyquist
     * limit (0.5) at the long side's edges.
     */
    record ZonePlate(int width, int height) {
        private double n() {
            return width; // r / n = 0.5 at r = width / 2
        }

        BufferedImage image() {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            double cx = width / 2.0;
            double cy = height / 2.0;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double dx = x + 0.5 - cx;
                    double dy = y + 0.5 - cy;
                    int v = (int) Math.round(127.5 + 127.5 * Math.cos(Math.PI * (dx * dx + dy * dy) / n()));
                    image.setRGB(x, y, v << 16 | v << 8 | v);
                }
            }
            return image;
        }

        /**
         * Rings at a source radius of 0.35 to 0.48 of the width: 0.35..0.48 cycles per source pixel,
         * 2..2.8 cycles per pixel of a 512 thumbnail, i.e. 4-5.6x its Nyquist limit.
         */
        Stats fineRings(BufferedImage thumb) {
            return ring(thumb, 0.35 * width, 0.48 * width);
        }

        /** Rings within 0.03 of the width of the centre: at most 0.18 cycles per pixel of a 512 thumbnail (0.35x its Nyquist limit). */
        Stats coarseRings(BufferedImage thumb) {
            return ring(thumb, 0, 0.03 * width);
        }

        private Stats ring(BufferedImage thumb, double fromRadius, double toRadius) {
            double scale = (double) thumb.getWidth() / width;
            double cx = thumb.getWidth() / 2.0;
            double cy = thumb.getHeight() / 2.0;
            double sum = 0;
            double sumSq = 0;
            int count = 0;
            for (int y = 0; y < thumb.getHeight(); y++) {
                for (int x = 0; x < thumb.getWidth(); x++) {
                    double r = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) / scale;
                    if (r >= fromRadius && r <= toRadius) {
                        double v = luma(thumb.getRGB(x, y));
                        sum += v;
                        sumSq += v * v;
                        count++;
                    }
                }
            }
            double mean = sum / count;
            return new Stats(mean, Math.sqrt(Math.max(0, sumSq / count - mean * mean)));
        }
    }

    static Stats stats(BufferedImage image, int x0, int y0, int w, int h) {
        double sum = 0;
        double sumSq = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                double v = luma(image.getRGB(x, y));
                sum += v;
                sumSq += v * v;
            }
        }
        double n = (double) w * h;
        double mean = sum / n;
        return new Stats(mean, Math.sqrt(Math.max(0, sumSq / n - mean * mean)));
    }

    private static double luma(int rgb) {
        return 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
    }

    private static BufferedImage convert(BufferedImage src, int type) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), type);
        java.awt.Graphics2D g = out.createGraphics();
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }

    static byte[] encode(BufferedImage image, String encoding) {
        return switch (encoding) {
            case "png" -> TestImages.encode(image, "png");
            case "jpeg" -> TestImages.jpeg(image);
            case "progressive-jpeg" -> write(image, "jpeg", true);
            default -> throw new IllegalArgumentException(encoding);
        };
    }

    private static byte[] interlacedPng(BufferedImage image) {
        return write(image, "png", true);
    }

    private static byte[] write(BufferedImage image, String format, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            if (format.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.95f);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
