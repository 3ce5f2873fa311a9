package com.edgeinventory.inventory.service.image;

import static com.edgeinventory.inventory.service.image.ImageOutcome.invalid;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
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
 * pixel limit; only then is the image decoded, subsampled so that its long side stays at least
 * twice the largest thumbnail, oriented, and scaled down by successive halving with bilinear
 * interpolation.
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
        int subsampling = subsamplingFor(Math.max(header.width(), header.height()));
        List<String> warnings = new ArrayList<>(2);
        BufferedImage decoded;
        ImageReader reader = Codecs.reader(format);
        try (ImageInputStream in = new ByteArrayImageInputStream(data)) {
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            reader.setInput(in, true, true);
            ImageReadParam param = reader.getDefaultReadParam();
            if (subsampling > 1) {
                param.setSourceSubsampling(subsampling, subsampling, 0, 0);
            }
            decoded = reader.read(0, param);
        } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException | NegativeArraySizeException
                 | RasterFormatException | CMMException | ProfileDataException e) {
            // IIOException is an IOException; the others are what decoders throw on malformed input.
            return invalid(ImageOutcome.Invalid.CORRUPT_IMAGE,
                    "the " + format.name() + " data cannot be decoded: " + describe(e));
        } finally {
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
        int displayWidth = swap ? header.height() : header.width();
        int displayHeight = swap ? header.width() : header.height();
        ImageMetadata metadata = new ImageMetadata(displayWidth, displayHeight, format.id(), data.length, orientation);

        boolean alpha = format == ImageFormat.PNG && decoded.getColorModel().hasAlpha();
        int workType = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        BufferedImage base = orient(decoded, orientation, workType);
        decoded = null; // let the decoded copy go before the thumbnails are rendered

        List<Thumbnail> thumbnails = new ArrayList<>(thumbnailLongSides.size());
        for (int longSide : thumbnailLongSides) {
            int[] size = fit(displayWidth, displayHeight, longSide);
            BufferedImage scaled = Scaling.downscale(base, size[0], size[1], workType);
            thumbnails.add(new Thumbnail(longSide, size[0], size[1], format.contentType(), format.outputExtension(),
                    Codecs.encode(format, scaled)));
        }
        return new ImageOutcome.Processed(metadata, thumbnails);
    }

    /**
     * The largest integral subsampling that keeps the decoded long side at least twice the
     * largest thumbnail's, so the final downscale still has pixels to average.
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

    /** Applies the EXIF orientation and converts to an INT_RGB/INT_ARGB image in one draw. */
    private static BufferedImage orient(BufferedImage src, int orientation, int type) {
        if (orientation == ExifOrientation.NORMAL && src.getType() == type) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swap = ExifOrientation.swapsAxes(orientation);
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, type);
        Graphics2D g = out.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(src, ExifOrientation.toDisplay(orientation, w, h), null);
        } finally {
            g.dispose();
        }
        return out;
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

    /** Down-scaling by successive halving: each bilinear step at most halves, so every source pixel counts. */
    static final class Scaling {
        private Scaling() {
        }

        static BufferedImage downscale(BufferedImage src, int targetWidth, int targetHeight, int type) {
            BufferedImage current = src;
            int w = src.getWidth();
            int h = src.getHeight();
            while (w != targetWidth || h != targetHeight) {
                int nw = w > targetWidth ? Math.max(targetWidth, (w + 1) / 2) : targetWidth;
                int nh = h > targetHeight ? Math.max(targetHeight, (h + 1) / 2) : targetHeight;
                current = draw(current, nw, nh, type);
                w = nw;
                h = nh;
            }
            return current;
        }

        private static BufferedImage draw(BufferedImage src, int w, int h, int type) {
            BufferedImage out = new BufferedImage(w, h, type);
            Graphics2D g = out.createGraphics();
            try {
                g.setComposite(AlphaComposite.Src);
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(src, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            return out;
        }
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
