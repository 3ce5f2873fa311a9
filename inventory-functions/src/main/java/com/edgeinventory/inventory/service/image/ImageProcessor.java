package com.edgeinventory.inventory.service.image;

import static com.edgeinventory.inventory.service.image.ImageOutcome.invalid;

import java.awt.color.CMMException;
import java.awt.color.ProfileDataException;
import java.awt.image.BufferedImage;
import java.awt.image.RasterFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Validates an uploaded JPEG or PNG and renders its thumbnails. Pure: no AWS, no files.
 *
 * <p>Order of checks, cheapest first: empty, byte limit, format by magic bytes, file-name
 * extension, header (dimensions, JPEG process, colour components, EXIF orientation) read by hand,
 * pixel limit; only then is the image decoded, at full resolution and one row at a time: each row
 * goes straight into a box filter that averages {@link #subsamplingFor factor x factor} blocks
 * (so memory stays at one row plus a small float image, and no source pixel is skipped). The
 * small image is then oriented and resampled to each thumbnail size with a Catmull-Rom filter
 * widened by the remaining scale ratio ({@link Downscale}).
 *
 * <p>Thread-safe: instances hold only immutable configuration, and every call creates and disposes
 * its own ImageIO reader and writers.
 */
public final class ImageProcessor {
    /** Quality of JPEG thumbnails. */
    static final float JPEG_QUALITY = 0.85f;
    /** Largest long side a thumbnail may ask for. */
    static final int MAX_THUMBNAIL_LONG_SIDE = 4096;

    private final ImageLimits limits;
    private final List<Integer> thumbnailLongSides;
    private final int largestLongSide;

    /**
     * @param limits             byte and pixel limits checked before decoding
     * @param thumbnailLongSides long sides of the thumbnails to render, e.g. {@code [128, 512]};
     *                           thumbnails are returned in this order
     */
    public ImageProcessor(ImageLimits limits, List<Integer> thumbnailLongSides) {
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
        this.thumbnailLongSides = List.copyOf(thumbnailLongSides);
        if (this.thumbnailLongSides.isEmpty()) {
            throw new IllegalArgumentException("at least one thumbnail size is needed");
        }
        for (int side : this.thumbnailLongSides) {
            if (side < 1 || side > MAX_THUMBNAIL_LONG_SIDE) {
                throw new IllegalArgumentException("thumbnail long side must be 1.." + MAX_THUMBNAIL_LONG_SIDE + ", was " + side);
            }
        }
        if (this.thumbnailLongSides.stream().distinct().count() != this.thumbnailLongSides.size()) {
            throw new IllegalArgumentException("thumbnail sizes must be distinct: " + this.thumbnailLongSides);
        }
        this.limits = limits;
        this.largestLongSide = this.thumbnailLongSides.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /**
     * Validates {@code data} and renders the thumbnails. Bad data yields {@link ImageOutcome.Invalid};
     * this method does not throw for it.
     *
     * @param fileName the uploaded name; its extension must agree with the content
     */
    public ImageOutcome process(String fileName, byte[] data) {
        if (data == null || data.length == 0) {
            return invalid(ImageOutcome.Invalid.EMPTY, "the upload is empty (0 bytes)");
        }
        if (data.length > limits.maxBytes()) {
            return invalid(ImageOutcome.Invalid.TOO_LARGE_BYTES,
                    "the upload is " + data.length + " bytes; the limit is " + limits.maxBytes() + " bytes");
        }
        ImageFormat format = ImageFormat.detect(data);
        if (format == null) {
            return invalid(ImageOutcome.Invalid.UNSUPPORTED_FORMAT, ImageFormat.describeUnsupported(data));
        }
        String extension = extensionOf(fileName);
        if (!format.acceptsExtension(extension)) {
            return invalid(ImageOutcome.Invalid.EXTENSION_MISMATCH, "the content is " + format.name()
                    + " but the file name '" + fileName + "' "
                    + (extension.isEmpty() ? "has no extension" : "ends in ." + extension)
                    + "; expected " + format.expectedExtensions());
        }
        return switch (ImageHeader.parse(format, data)) {
            case ImageHeader.Rejected rejected -> rejected.invalid();
            case ImageHeader.Parsed header -> checkHeader(header, data);
        };
    }

    private ImageOutcome checkHeader(ImageHeader.Parsed header, byte[] data) {
        if (header.width() == 0 || header.height() == 0) {
            return invalid(ImageOutcome.Invalid.ZERO_DIMENSIONS,
                    "the " + header.format().name() + " header declares a size of " + header.width() + "x" + header.height());
        }
        long pixels = (long) header.width() * header.height();
        if (pixels > limits.maxPixels()) {
            return invalid(ImageOutcome.Invalid.TOO_MANY_PIXELS, "the image is " + header.width() + "x" + header.height()
                    + " (" + pixels + " pixels); the limit is " + limits.maxPixels() + " pixels");
        }
        if (header.format() == ImageFormat.JPEG && header.components() != 1 && header.components() != 3) {
            String kind = header.components() == 4 ? "a CMYK/YCCK JPEG (4 colour components)"
                    : "a JPEG with " + header.components() + " colour components";
            return invalid(ImageOutcome.Invalid.UNSUPPORTED_COLOR_SPACE,
                    "the image is " + kind + "; only RGB and greyscale JPEGs are supported, export it as RGB");
        }
        return decodeAndRender(header, data);
    }

    private ImageOutcome decodeAndRender(ImageHeader.Parsed header, byte[] data) {
        ImageFormat format = header.format();
        int width = header.width();
        int height = header.height();
        int factor = subsamplingFor(Math.max(width, height));
        List<String> warnings = new ArrayList<>(2);
        Downscale.Plane plane;
        ImageReader reader = Codecs.reader(format);
        RowSink sink = null;
        try (ImageInputStream in = new ByteArrayImageInputStream(data)) {
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            reader.setInput(in, true, true);
            ImageReadParam param = reader.getDefaultReadParam();
            Downscale.Box box;
            if (format == ImageFormat.JPEG) {
                box = new Downscale.Box(width, height, factor, false);
                sink = RowSink.forJpeg(width, height, box);
            } else {
                ImageTypeSpecifier type = reader.getImageTypes(0).next();
                boolean alpha = type.getColorModel().hasAlpha();
                box = new Downscale.Box(width, height, factor, alpha);
                sink = isInterlacedPng(data) ? null : RowSink.forType(type, width, height, box, alpha);
                if (sink == null) {
                    // Adam7 rows arrive out of order: decode whole (its memory is width x height), then filter.
                    RowSink.feed(reader.read(0, param), box, alpha);
                }
            }
            if (sink != null) {
                // Full resolution, one row of memory: every decoded row goes straight into the box filter.
                param.setDestination(sink.destination());
                reader.addIIOReadUpdateListener(sink);
                int scans = format == ImageFormat.JPEG ? countJpegScans(data) : 1;
                sink.filterFromPass(scans - 1);
                reader.read(0, param);
                if (scans > 1 && !sink.complete()) {
                    // The scan count was off (damaged data?): decode again, filtering every pass.
                    sink.filterFromPass(0);
                    reader.read(0, param);
                }
            }
            plane = box.result();
        } catch (IOException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException
                 | NegativeArraySizeException | RasterFormatException | CMMException | ProfileDataException e) {
            // IIOException is an IOException; the others are what decoders throw on malformed input.
            return invalid(ImageOutcome.Invalid.CORRUPT_IMAGE,
                    "the " + format.name() + " data cannot be decoded: " + describe(e));
        } finally {
            if (sink != null) {
                sink.dispose();
            }
            reader.dispose();
        }
        for (String warning : warnings) {
            if (!isBenign(warning)) {
                return invalid(ImageOutcome.Invalid.CORRUPT_IMAGE,
                        "the " + format.name() + " data is truncated or damaged: " + warning);
            }
        }

        int orientation = header.orientation();
        boolean swap = ExifOrientation.swapsAxes(orientation);
        int displayWidth = swap ? height : width;
        int displayHeight = swap ? width : height;
        ImageMetadata metadata = new ImageMetadata(displayWidth, displayHeight, format.id(), data.length, orientation);

        Downscale.Plane displayed = Downscale.orient(plane, orientation);
        List<Thumbnail> thumbnails = new ArrayList<>(thumbnailLongSides.size());
        for (int longSide : thumbnailLongSides) {
            int[] size = fit(displayWidth, displayHeight, longSide);
            // Smaller thumbnails first average the plane down to 2..4x their size, like the largest one.
            int factor2 = Math.max(1, Math.max(displayed.width(), displayed.height()) / (2 * Math.max(size[0], size[1])));
            BufferedImage scaled = Downscale.resize(Downscale.shrink(displayed, factor2), size[0], size[1]);
            thumbnails.add(new Thumbnail(longSide, size[0], size[1], format.contentType(), format.outputExtension(),
                    Codecs.encode(format, scaled)));
        }
        return new ImageOutcome.Processed(metadata, thumbnails);
    }

    /**
     * The number of scans (SOS markers) of a JPEG; more than one means progressive. Entropy-coded
     * data never holds 0xFF followed by 0xDA, so a byte search is exact for well-formed data.
     */
    static int countJpegScans(byte[] data) {
        int scans = 0;
        for (int i = 2; i + 1 < data.length; i++) {
            if (data[i] == (byte) 0xFF && data[i + 1] == (byte) 0xDA) {
                scans++;
                i++;
            }
        }
        return Math.max(1, scans);
    }

    /** PNG interlace method, byte 12 of the IHDR data (the header parser has checked that it is present). */
    private static boolean isInterlacedPng(byte[] data) {
        return data.length > 28 && data[28] != 0;
    }

    /**
     * The box-filter factor: the largest integer that keeps the box-averaged long side at least
     * twice the largest thumbnail's, so that the final Catmull-Rom step still has pixels to
     * filter. Every source pixel is decoded and averaged; nothing is skipped.
     */
    int subsamplingFor(int longSide) {
        return Math.max(1, longSide / (2 * largestLongSide));
    }

    /** The thumbnail size for a displayed image, keeping the aspect ratio and never upscaling. */
    static int[] fit(int width, int height, int longSide) {
        if (Math.max(width, height) <= longSide) {
            return new int[] {width, height};
        }
        if (width >= height) {
            return new int[] {longSide, (int) Math.max(1, Math.round((double) height * longSide / width))};
        }
        return new int[] {(int) Math.max(1, Math.round((double) width * longSide / height)), longSide};
    }

    /** Decoder warnings that do not mean lost pixels. Anything else (premature end, bad Huffman code...) does. */
    private static boolean isBenign(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("extraneous bytes before marker")
                || w.contains("color profile")
                || (w.contains("jfif") && w.contains("thumbnail"));
    }

    private static String describe(Exception e) {
        StringBuilder sb = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            sb.append(" (").append(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()).append(')');
        }
        return sb.toString();
    }

    static String extensionOf(String fileName) {
        if (fileName == null) {
            return "";
        }
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        int dot = fileName.lastIndexOf('.');
        return dot <= slash ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** ImageIO providers, looked up once; readers and writers are created per call and disposed. */
    static final class Codecs {
        private static final ImageReaderSpi JPEG_READER = readerSpi("jpeg");
        private static final ImageReaderSpi PNG_READER = readerSpi("png");
        private static final ImageWriterSpi JPEG_WRITER = writerSpi("jpeg");
        private static final ImageWriterSpi PNG_WRITER = writerSpi("png");

        private Codecs() {
        }

        static ImageReader reader(ImageFormat format) {
            try {
                return (format == ImageFormat.JPEG ? JPEG_READER : PNG_READER).createReaderInstance();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create an ImageIO reader for " + format, e);
            }
        }

        static byte[] encode(ImageFormat format, BufferedImage image) {
            ImageWriter writer;
            try {
                writer = (format == ImageFormat.JPEG ? JPEG_WRITER : PNG_WRITER).createWriterInstance();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create an ImageIO writer for " + format, e);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(4096, image.getWidth() * image.getHeight() / 4));
            try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                if (format == ImageFormat.JPEG) {
                    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionQuality(JPEG_QUALITY);
                }
                writer.write(null, new IIOImage(image, null, null), param);
            } catch (IOException e) {
                // Writing to memory does not fail on I/O; this would be a codec bug.
                throw new UncheckedIOException("cannot encode a " + format + " thumbnail", e);
            } finally {
                writer.dispose();
            }
            return bytes.toByteArray();
        }

        private static ImageReaderSpi readerSpi(String formatName) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(formatName);
            if (!readers.hasNext()) {
                throw new IllegalStateException("this JDK has no ImageIO reader for " + formatName);
            }
            ImageReader reader = readers.next();
            try {
                return reader.getOriginatingProvider();
            } finally {
                reader.dispose();
            }
        }

        private static ImageWriterSpi writerSpi(String formatName) {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(formatName);
            if (!writers.hasNext()) {
                throw new IllegalStateException("this JDK has no ImageIO writer for " + formatName);
            }
            ImageWriter writer = writers.next();
            try {
                return writer.getOriginatingProvider();
            } finally {
                writer.dispose();
            }
        }
    }
}
