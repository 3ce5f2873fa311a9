package com.edgeinventory.inventory.service.image;

import com.edgeinventory.testing.TestImages;

import static com.edgeinventory.testing.TestImages.BOTTOM_LEFT;
import static com.edgeinventory.testing.TestImages.BOTTOM_RIGHT;
import static com.edgeinventory.testing.TestImages.TOP_LEFT;
import static com.edgeinventory.testing.TestImages.TOP_RIGHT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageProcessorTest {

    private final ImageProcessor processor = new ImageProcessor(ImageLimits.DEFAULT, List.of(128, 512));

    private static ImageOutcome.Processed processed(ImageOutcome outcome) {
        assertThat(outcome).isInstanceOf(ImageOutcome.Processed.class);
        return (ImageOutcome.Processed) outcome;
    }

    @Nested
    class Metadata {
        @Test
        void jpegMetadataAndThumbnails() {
            byte[] data = TestImages.jpeg(TestImages.picture(1200, 800));

            ImageOutcome.Processed result = processed(processor.process("shelf-7.jpg", data));

            assertThat(result.metadata()).isEqualTo(new ImageMetadata(1200, 800, "jpeg", data.length, 1));
            assertThat(result.thumbnails()).extracting(Thumbnail::longSide, Thumbnail::width, Thumbnail::height,
                            Thumbnail::contentType, Thumbnail::extension)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(128, 128, 85, "image/jpeg", "jpg"),
                            org.assertj.core.groups.Tuple.tuple(512, 512, 341, "image/jpeg", "jpg"));
            for (Thumbnail t : result.thumbnails()) {
                BufferedImage decoded = TestImages.decode(t.bytes());
                assertThat(decoded.getWidth()).isEqualTo(t.width());
                assertThat(decoded.getHeight()).isEqualTo(t.height());
                assertThat(decoded.getColorModel().hasAlpha()).isFalse();
            }
        }

        @Test
        void pngWithAlphaStaysPngAndKeepsTransparency() {
            BufferedImage image = new BufferedImage(400, 200, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = image.createGraphics();
            g.setColor(Color.ORANGE);
            g.fillRect(200, 0, 200, 200); // left half fully transparent, right half opaque orange
            g.dispose();
            byte[] data = TestImages.encode(image, "png");

            ImageOutcome.Processed result = processed(processor.process("crate.PNG", data));

            assertThat(result.metadata()).isEqualTo(new ImageMetadata(400, 200, "png", data.length, 1));
            Thumbnail small = result.thumbnails().getFirst();
            assertThat(small).extracting(Thumbnail::width, Thumbnail::height, Thumbnail::contentType, Thumbnail::extension)
                    .containsExactly(128, 64, "image/png", "png");
            BufferedImage decoded = TestImages.decode(small.bytes());
            assertThat(decoded.getColorModel().hasAlpha()).isTrue();
            assertThat(decoded.getRGB(10, 32) >>> 24).isZero();
            assertThat(decoded.getRGB(118, 32) >>> 24).isEqualTo(255);
            assertThat(TestImages.near(decoded.getRGB(118, 32), Color.ORANGE, 2)).isTrue();
        }

        @Test
        void opaquePngThumbnailsArePng() {
            byte[] data = TestImages.encode(TestImages.picture(640, 480), "png");

            ImageOutcome.Processed result = processed(processor.process("a.png", data));

            assertThat(result.metadata().format()).isEqualTo("png");
            assertThat(result.thumbnails()).allSatisfy(t -> {
                assertThat(t.contentType()).isEqualTo("image/png");
                assertThat(TestImages.decode(t.bytes()).getWidth()).isEqualTo(t.width());
            });
            assertThat(result.thumbnails().get(1)).extracting(Thumbnail::width, Thumbnail::height).containsExactly(512, 384);
        }

        @Test
        void greyscaleJpegIsProcessed() {
            BufferedImage grey = new BufferedImage(300, 300, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = grey.createGraphics();
            g.setColor(new Color(90, 90, 90));
            g.fillRect(0, 0, 300, 300);
            g.dispose();
            byte[] data = TestImages.jpeg(grey);

            ImageOutcome.Processed result = processed(processor.process("grey.jpeg", data));

            assertThat(result.metadata().width()).isEqualTo(300);
            BufferedImage thumb = TestImages.decode(result.thumbnails().getFirst().bytes());
            assertThat(TestImages.near(thumb.getRGB(64, 64), new Color(90, 90, 90), 4)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"photo.jpg", "photo.JPG", "photo.jpeg", "PHOTO.JpEg", "dir.png/photo.jpg", "a.b.c.jpg"})
        void jpegExtensionsAreCaseInsensitive(String name) {
            byte[] data = TestImages.jpeg(TestImages.picture(64, 64));

            assertThat(processor.process(name, data)).isInstanceOf(ImageOutcome.Processed.class);
        }
    }

    @Nested
    class Scaling {
        @Test
        void landscapeKeepsAspectRatio() {
            ImageOutcome.Processed result = processed(processor.process("l.jpg", TestImages.jpeg(TestImages.picture(1600, 900))));

            assertThat(result.thumbnails()).extracting(Thumbnail::width, Thumbnail::height)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(128, 72), org.assertj.core.groups.Tuple.tuple(512, 288));
        }

        @Test
        void portraitKeepsAspectRatio() {
            ImageOutcome.Processed result = processed(processor.process("p.png", TestImages.encode(TestImages.picture(600, 1000), "png")));

            assertThat(result.thumbnails()).extracting(Thumbnail::width, Thumbnail::height)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(77, 128), org.assertj.core.groups.Tuple.tuple(307, 512));
        }

        @Test
        void smallImagesAreNeverUpscaled() {
            ImageOutcome.Processed result = processed(processor.process("tiny.jpg", TestImages.jpeg(TestImages.picture(100, 60))));

            assertThat(result.thumbnails()).extracting(Thumbnail::longSide, Thumbnail::width, Thumbnail::height)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(128, 100, 60), org.assertj.core.groups.Tuple.tuple(512, 100, 60));
            assertThat(TestImages.decode(result.thumbnails().get(1).bytes()).getWidth()).isEqualTo(100);
        }

        @Test
        void onePixelImageIsProcessed() {
            ImageOutcome.Processed result = processed(processor.process("dot.png", TestImages.encode(TestImages.picture(1, 1), "png")));

            assertThat(result.thumbnails()).extracting(Thumbnail::width, Thumbnail::height)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple(1, 1));
        }

        @Test
        void veryThinImageKeepsAtLeastOnePixel() {
            ImageOutcome.Processed result = processed(processor.process("line.png", TestImages.encode(TestImages.picture(3000, 2), "png")));

            assertThat(result.thumbnails().getFirst()).extracting(Thumbnail::width, Thumbnail::height).containsExactly(128, 1);
        }

        @Test
        void largeImageIsSubsampledAndKeepsItsColours() {
            byte[] data = TestImages.jpeg(TestImages.quadrants(3000, 2000));
            assertThat(processor.subsamplingFor(3000)).isEqualTo(2);

            ImageOutcome.Processed result = processed(processor.process("big.jpg", data));

            Thumbnail big = result.thumbnails().get(1);
            assertThat(big).extracting(Thumbnail::width, Thumbnail::height).containsExactly(512, 341);
            BufferedImage thumb = TestImages.decode(big.bytes());
            assertThat(TestImages.near(thumb.getRGB(128, 85), TOP_LEFT, 12)).isTrue();
            assertThat(TestImages.near(thumb.getRGB(384, 255), BOTTOM_RIGHT, 12)).isTrue();
        }

        @Test
        void subsamplingKeepsTheDecodedLongSideAtLeastTwiceTheLargestThumbnail() {
            for (int longSide : new int[] {1, 512, 1023, 1024, 2047, 2048, 6000, 10_000, 65_535}) {
                int factor = processor.subsamplingFor(longSide);
                assertThat(factor).isPositive();
                if (factor > 1) {
                    assertThat(Math.ceilDiv(longSide, factor)).isGreaterThanOrEqualTo(2 * 512).isLessThan(4 * 512);
                }
            }
        }
    }

    @Nested
    class Orientation {
        /** Displayed corners TL, TR, BL, BR for each orientation of a stored red/green/blue/white quadrant image. */
        static Stream<org.junit.jupiter.params.provider.Arguments> orientations() {
            return Stream.of(
                    args(1, TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT),
                    args(2, TOP_RIGHT, TOP_LEFT, BOTTOM_RIGHT, BOTTOM_LEFT),
                    args(3, BOTTOM_RIGHT, BOTTOM_LEFT, TOP_RIGHT, TOP_LEFT),
                    args(4, BOTTOM_LEFT, BOTTOM_RIGHT, TOP_LEFT, TOP_RIGHT),
                    args(5, TOP_LEFT, BOTTOM_LEFT, TOP_RIGHT, BOTTOM_RIGHT),
                    args(6, BOTTOM_LEFT, TOP_LEFT, BOTTOM_RIGHT, TOP_RIGHT),
                    args(7, BOTTOM_RIGHT, TOP_RIGHT, BOTTOM_LEFT, TOP_LEFT),
                    args(8, TOP_RIGHT, BOTTOM_RIGHT, TOP_LEFT, BOTTOM_LEFT));
        }

        private static org.junit.jupiter.params.provider.Arguments args(int o, Color tl, Color tr, Color bl, Color br) {
            return org.junit.jupiter.params.provider.Arguments.of(o, tl, tr, bl, br);
        }

        @ParameterizedTest(name = "orientation {0}")
        @MethodSource("orientations")
        void appliesEveryExifOrientation(int orientation, Color tl, Color tr, Color bl, Color br) {
            for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
                byte[] data = TestImages.withExif(TestImages.jpeg(TestImages.quadrants(400, 200)), TestImages.exifTiff(orientation, order));

                ImageOutcome.Processed result = processed(processor.process("o.jpg", data));

                boolean swapped = orientation >= 5;
                assertThat(result.metadata().orientation()).isEqualTo(orientation);
                assertThat(result.metadata().width()).isEqualTo(swapped ? 200 : 400);
                assertThat(result.metadata().height()).isEqualTo(swapped ? 400 : 200);
                Thumbnail thumb = result.thumbnails().getFirst();
                assertThat(thumb).extracting(Thumbnail::width, Thumbnail::height)
                        .containsExactly(swapped ? 64 : 128, swapped ? 128 : 64);
                BufferedImage image = TestImages.decode(thumb.bytes());
                int w = image.getWidth();
                int h = image.getHeight();
                assertCorner(image, w / 4, h / 4, tl, "top-left", orientation, order);
                assertCorner(image, 3 * w / 4, h / 4, tr, "top-right", orientation, order);
                assertCorner(image, w / 4, 3 * h / 4, bl, "bottom-left", orientation, order);
                assertCorner(image, 3 * w / 4, 3 * h / 4, br, "bottom-right", orientation, order);
            }
        }

        private static void assertCorner(BufferedImage image, int x, int y, Color expected, String corner, int orientation, ByteOrder order) {
            assertThat(TestImages.near(image.getRGB(x, y), expected, 16))
                    .as("%s of orientation %d (%s) is %s, was #%06X", corner, orientation, order, expected, image.getRGB(x, y) & 0xFFFFFF)
                    .isTrue();
        }

        @Test
        void orientationSixOnA24MegapixelHeaderReportsPortraitSize() {
            // Only the header matters for the reported size; a small body keeps the test fast.
            byte[] data = TestImages.withExif(TestImages.jpeg(TestImages.picture(600, 400)), TestImages.exifTiff(6, ByteOrder.BIG_ENDIAN));

            ImageOutcome.Processed result = processed(processor.process("o6.jpg", data));

            assertThat(result.metadata()).extracting(ImageMetadata::width, ImageMetadata::height).containsExactly(400, 600);
        }
    }

    @Nested
    class CorruptExif {
        static Stream<org.junit.jupiter.params.provider.Arguments> brokenTiffs() {
            byte[] goodBigEndian = TestImages.exifTiff(6, ByteOrder.BIG_ENDIAN);
            byte[] badOffset = goodBigEndian.clone();
            badOffset[4] = 0x7F; // IFD0 offset far beyond the segment
            byte[] negativeOffset = goodBigEndian.clone();
            negativeOffset[4] = (byte) 0xFF;
            byte[] badMagic = goodBigEndian.clone();
            badMagic[3] = 43;
            byte[] badByteOrder = goodBigEndian.clone();
            badByteOrder[0] = 'X';
            byte[] hugeCount = goodBigEndian.clone();
            hugeCount[8] = (byte) 0xFF;
            hugeCount[9] = (byte) 0xFF;
            hugeCount[11] = 0x00; // first entry is not the orientation, so the walk runs off the end
            byte[] wrongType = goodBigEndian.clone();
            wrongType[13] = 2; // ASCII instead of SHORT
            return Stream.of(
                    org.junit.jupiter.params.provider.Arguments.of("IFD offset beyond segment", badOffset),
                    org.junit.jupiter.params.provider.Arguments.of("IFD offset with high bit set", negativeOffset),
                    org.junit.jupiter.params.provider.Arguments.of("bad TIFF magic", badMagic),
                    org.junit.jupiter.params.provider.Arguments.of("bad byte order", badByteOrder),
                    org.junit.jupiter.params.provider.Arguments.of("entry count past the end", hugeCount),
                    org.junit.jupiter.params.provider.Arguments.of("orientation of wrong type", wrongType),
                    org.junit.jupiter.params.provider.Arguments.of("orientation 9", TestImages.exifTiff(9, ByteOrder.LITTLE_ENDIAN)),
                    org.junit.jupiter.params.provider.Arguments.of("orientation 0", TestImages.exifTiff(0, ByteOrder.LITTLE_ENDIAN)),
                    org.junit.jupiter.params.provider.Arguments.of("truncated TIFF header", Arrays.copyOf(goodBigEndian, 5)),
                    org.junit.jupiter.params.provider.Arguments.of("empty TIFF block", new byte[0]));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("brokenTiffs")
        void malformedExifStillProcessesWithOrientationOne(String description, byte[] tiff) {
            byte[] data = TestImages.withExif(TestImages.jpeg(TestImages.picture(300, 200)), tiff);

            ImageOutcome.Processed result = processed(processor.process("x.jpg", data));

            assertThat(result.metadata()).extracting(ImageMetadata::width, ImageMetadata::height, ImageMetadata::orientation)
                    .containsExactly(300, 200, 1);
        }
    }

    /** One bad upload and the code it must get. */
    record BadInput(String description, String fileName, Supplier<byte[]> data, ImageLimits limits, String code, String messagePart) {
        BadInput(String description, String fileName, Supplier<byte[]> data, String code, String messagePart) {
            this(description, fileName, data, ImageLimits.DEFAULT, code, messagePart);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<BadInput> badInputs() {
        Supplier<byte[]> jpeg = () -> TestImages.jpeg(TestImages.picture(400, 300));
        Supplier<byte[]> png = () -> TestImages.encode(TestImages.picture(400, 300), "png");
        return Stream.of(
                new BadInput("empty", "a.jpg", () -> new byte[0], ImageOutcome.Invalid.EMPTY, "empty"),
                new BadInput("null data", "a.jpg", () -> null, ImageOutcome.Invalid.EMPTY, "empty"),
                new BadInput("random bytes", "a.jpg", () -> {
                    byte[] b = new byte[4096];
                    new Random(42).nextBytes(b);
                    b[0] = 0x12;
                    return b;
                }, ImageOutcome.Invalid.UNSUPPORTED_FORMAT, "only JPEG and PNG"),
                new BadInput("GIF", "a.gif", () -> TestImages.encode(TestImages.picture(40, 30), "gif"), ImageOutcome.Invalid.UNSUPPORTED_FORMAT, "GIF"),
                new BadInput("GIF named .jpg", "a.jpg", () -> TestImages.encode(TestImages.picture(40, 30), "gif"), ImageOutcome.Invalid.UNSUPPORTED_FORMAT, "GIF"),
                new BadInput("BMP", "a.bmp", () -> TestImages.encode(TestImages.picture(40, 30), "bmp"), ImageOutcome.Invalid.UNSUPPORTED_FORMAT, "BMP"),
                new BadInput("TIFF", "a.tif", () -> TestImages.encode(TestImages.picture(40, 30), "tiff"), ImageOutcome.Invalid.UNSUPPORTED_FORMAT, "TIFF"),
                new BadInput("WebP", "a.webp", () -> "RIFF\0\0\0\0WEBPVP8 ".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        ImageOutcome.Invalid.UNSUPPORTED_FORMAT, "WebP"),
                new BadInput("HEIC", "a.heic", () -> "\0\0\0\u0018ftypheic\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        ImageOutcome.Invalid.UNSUPPORTED_FORMAT, "HEIC"),
                new BadInput("JPEG cut in half", "a.jpg", () -> {
                    byte[] b = jpeg.get();
                    return TestImages.truncate(b, b.length / 2);
                }, ImageOutcome.Invalid.CORRUPT_IMAGE, "truncated"),
                new BadInput("JPEG missing only its EOI marker", "a.jpg", () -> {
                    byte[] b = jpeg.get();
                    return TestImages.truncate(b, b.length - 2);
                }, ImageOutcome.Invalid.CORRUPT_IMAGE, ""),
                new BadInput("JPEG cut inside its header", "a.jpg", () -> TestImages.truncate(jpeg.get(), 100),
                        ImageOutcome.Invalid.CORRUPT_IMAGE, "JPEG"),
                new BadInput("JPEG magic only", "a.jpg", () -> new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
                        ImageOutcome.Invalid.CORRUPT_IMAGE, "JPEG"),
                new BadInput("JPEG with garbage after the frame header", "a.jpg", () -> {
                    byte[] b = jpeg.get();
                    Arrays.fill(b, TestImages.sofOffset(b) + 19, b.length, (byte) 0x00);
                    return b;
                }, ImageOutcome.Invalid.CORRUPT_IMAGE, ""),
                new BadInput("JPEG segment length past the end", "a.jpg", () -> {
                    byte[] b = jpeg.get();
                    b[4] = (byte) 0x7F; // APP0 length
                    return TestImages.truncate(b, 200);
                }, ImageOutcome.Invalid.CORRUPT_IMAGE, "runs past the end"),
                new BadInput("PNG cut in half", "a.png", () -> {
                    byte[] b = png.get();
                    return TestImages.truncate(b, b.length / 2);
                }, ImageOutcome.Invalid.CORRUPT_IMAGE, "PNG"),
                new BadInput("PNG cut inside its header", "a.png", () -> TestImages.truncate(png.get(), 20),
                        ImageOutcome.Invalid.CORRUPT_IMAGE, "IHDR"),
                new BadInput("too many bytes", "a.jpg", jpeg, new ImageLimits(1000, 1_000_000), ImageOutcome.Invalid.TOO_LARGE_BYTES, "limit is 1000 bytes"),
                new BadInput("PNG header claiming 100000x100000", "bomb.png", () -> TestImages.pngHeader(100_000, 100_000),
                        ImageOutcome.Invalid.TOO_MANY_PIXELS, "100000x100000"),
                new BadInput("PNG header claiming 2^32-1 wide", "bomb.png", () -> TestImages.pngHeader(0xFFFF_FFFFL, 1),
                        ImageOutcome.Invalid.CORRUPT_IMAGE, "impossible size"),
                new BadInput("JPEG header claiming 65535x65535", "bomb.jpg", () -> {
                    byte[] b = jpeg.get();
                    int sof = TestImages.sofOffset(b);
                    b[sof + 5] = b[sof + 6] = b[sof + 7] = b[sof + 8] = (byte) 0xFF;
                    return b;
                }, ImageOutcome.Invalid.TOO_MANY_PIXELS, "65535x65535"),
                new BadInput("PNG of zero width", "zero.png", () -> TestImages.pngHeader(0, 10), ImageOutcome.Invalid.ZERO_DIMENSIONS, "0x10"),
                new BadInput("JPEG of zero height", "zero.jpg", () -> {
                    byte[] b = jpeg.get();
                    int sof = TestImages.sofOffset(b);
                    b[sof + 5] = b[sof + 6] = 0;
                    return b;
                }, ImageOutcome.Invalid.ZERO_DIMENSIONS, "400x0"),
                new BadInput("CMYK JPEG", "cmyk.jpg", () -> TestImages.cmykJpeg(64, 64), ImageOutcome.Invalid.UNSUPPORTED_COLOR_SPACE, "CMYK"),
                new BadInput("lossless JPEG process", "a.jpg", () -> {
                    byte[] b = jpeg.get();
                    b[TestImages.sofOffset(b) + 1] = (byte) 0xC3;
                    return b;
                }, ImageOutcome.Invalid.UNSUPPORTED_FORMAT, "lossless"),
                new BadInput("JPEG named .png", "a.png", jpeg, ImageOutcome.Invalid.EXTENSION_MISMATCH, "ends in .png"),
                new BadInput("PNG named .jpg", "a.jpg", png, ImageOutcome.Invalid.EXTENSION_MISMATCH, "expected .png"),
                new BadInput("JPEG named .gif", "a.gif", jpeg, ImageOutcome.Invalid.EXTENSION_MISMATCH, "ends in .gif"),
                new BadInput("name without extension", "photo", jpeg, ImageOutcome.Invalid.EXTENSION_MISMATCH, "has no extension"),
                new BadInput("name with empty extension", "photo.", jpeg, ImageOutcome.Invalid.EXTENSION_MISMATCH, "has no extension"),
                new BadInput("dot only in a folder name", "uploads.jpg/photo", jpeg, ImageOutcome.Invalid.EXTENSION_MISMATCH, "has no extension"),
                new BadInput("null name", null, jpeg, ImageOutcome.Invalid.EXTENSION_MISMATCH, "has no extension"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void rejectsBadInput(BadInput input) {
        ImageOutcome outcome = new ImageProcessor(input.limits(), List.of(128, 512)).process(input.fileName(), input.data().get());

        assertThat(outcome).isInstanceOf(ImageOutcome.Invalid.class);
        ImageOutcome.Invalid invalid = (ImageOutcome.Invalid) outcome;
        assertThat(invalid.code()).as(invalid.message()).isEqualTo(input.code());
        assertThat(invalid.message()).containsIgnoringCase(input.messagePart());
    }

    @Test
    void everyTruncationOfAJpegIsRejectedAndNeverThrows() {
        byte[] jpeg = TestImages.jpeg(TestImages.picture(200, 150));
        for (int length = 1; length < jpeg.length - 2; length += 97) {
            ImageOutcome outcome = processor.process("t.jpg", Arrays.copyOf(jpeg, length));
            assertThat(outcome).as("cut at %d of %d", length, jpeg.length).isInstanceOf(ImageOutcome.Invalid.class);
        }
    }

    @Test
    void randomlyDamagedImagesNeverThrow() {
        Random random = new Random(7);
        byte[] jpeg = TestImages.jpeg(TestImages.picture(160, 120));
        byte[] png = TestImages.encode(TestImages.picture(160, 120), "png");
        for (int i = 0; i < 200; i++) {
            byte[] source = i % 2 == 0 ? jpeg : png;
            byte[] damaged = source.clone();
            for (int k = 0; k < 1 + random.nextInt(8); k++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            ImageOutcome outcome = processor.process(i % 2 == 0 ? "d.jpg" : "d.png", damaged);
            assertThat(outcome).isNotNull();
        }
    }

    @Test
    void isSafeToShareAcrossThreads() throws Exception {
        byte[] data = TestImages.jpeg(TestImages.picture(900, 600));
        ImageOutcome.Processed expected = processed(processor.process("a.jpg", data));
        List<Future<ImageOutcome>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(() -> processor.process("a.jpg", data)));
            }
        }
        for (Future<ImageOutcome> f : futures) {
            assertThat(f.get()).isEqualTo(expected);
        }
    }

    @Nested
    class Configuration {
        @Test
        void rejectsBadThumbnailSizes() {
            assertThatThrownBy(() -> new ImageProcessor(ImageLimits.DEFAULT, List.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ImageProcessor(ImageLimits.DEFAULT, List.of(0))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ImageProcessor(ImageLimits.DEFAULT, List.of(128, 128))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ImageProcessor(ImageLimits.DEFAULT, List.of(100_000))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ImageProcessor(null, List.of(128))).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void rejectsBadLimits() {
            assertThatThrownBy(() -> new ImageLimits(0, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ImageLimits(1, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ImageLimits(Long.MAX_VALUE, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(ImageLimits.DEFAULT).isEqualTo(new ImageLimits(40L * 1024 * 1024, 100_000_000L));
        }

        @Test
        void thumbnailsComeBackInTheConfiguredOrder() {
            ImageProcessor reversed = new ImageProcessor(ImageLimits.DEFAULT, List.of(512, 64));

            ImageOutcome.Processed result = processed(reversed.process("r.jpg", TestImages.jpeg(TestImages.picture(1000, 1000))));

            assertThat(result.thumbnails()).extracting(Thumbnail::width).containsExactly(512, 64);
        }
    }
}
