package com.edgeinventory.inventory.service.image;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.MultiPixelPackedSampleModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.awt.Transparency;
import java.util.Arrays;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadUpdateListener;

/**
 * A decoding destination that is full size on paper but stores a single row, so that a
 * full-resolution decode needs memory for one row only.
 *
 * <p>The image's raster has a scanline stride of 0: every row the ImageIO decoder writes lands on
 * the same storage. After each row the decoder notifies its {@link IIOReadUpdateListener}s; this
 * sink is one, converts the row and hands it to a {@link Downscale.Box} before the next row
 * overwrites it. Decoders that write rows out of order (interlaced PNG) must not use it.
 */
final class RowSink implements IIOReadUpdateListener {
    private static final int[] RGB_OFFSETS = {0, 1, 2};

    private final BufferedImage destination;
    private final Downscale.Box box;
    private final int width;
    /** JPEG: the stored row as RGB bytes. */
    private final byte[] rgb;
    /** PNG: a 1-row view of the stored row, drawn into argbImage to convert any PNG type with java2d. */
    private final BufferedImage rowView;
    private final BufferedImage argbImage;
    private final int[] argb;
    private final Graphics2D g;
    /** Progressive JPEG: passes before this one are not filtered, as the last pass redraws every row. */
    private int firstFilteredPass;
    private int pass;
    private int rowsOfLastFilteredPass;
    /** The row already taken straight from the decoder's scanline buffer by {@link OneRowRaster#setRect}. */
    private int directRow = -1;

    private RowSink(BufferedImage destination, BufferedImage rowView, Downscale.Box box, boolean alpha) {
        this.destination = destination;
        this.box = box;
        this.width = destination.getWidth();
        this.rowView = rowView;
        if (rowView == null) {
            this.rgb = ((DataBufferByte) destination.getRaster().getDataBuffer()).getData();
            this.argbImage = null;
            this.argb = null;
            this.g = null;
        } else {
            this.rgb = null;
            this.argbImage = new BufferedImage(width, 1, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
            this.argb = ((DataBufferInt) argbImage.getRaster().getDataBuffer()).getData();
            this.g = argbImage.createGraphics();
            g.setComposite(AlphaComposite.Src);
        }
    }

    /** A sink for a JPEG reader: an 8-bit sRGB destination (the decoder converts greyscale and ICC profiles to it). */
    static RowSink forJpeg(int width, int height, Downscale.Box box) {
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        SampleModel sm = new ComponentSampleModel(DataBuffer.TYPE_BYTE, width, height, 3, 0, RGB_OFFSETS);
        OneRowRaster raster = new OneRowRaster(sm, new DataBufferByte(width * 3));
        RowSink sink = new RowSink(new BufferedImage(cm, raster, false, null), null, box, false);
        raster.direct = sink;
        return sink;
    }

    /**
     * A sink for the reader's own default image type (as {@code ImageReader.read} would allocate), or
     * null when that type's layout is not one this class can alias.
     */
    static RowSink forType(ImageTypeSpecifier type, int width, int height, Downscale.Box box, boolean alpha) {
        ColorModel cm = type.getColorModel();
        SampleModel one = type.getSampleModel(width, 1);
        SampleModel aliased;
        if (one instanceof ComponentSampleModel c) {
            aliased = new ComponentSampleModel(c.getDataType(), width, height, c.getPixelStride(), 0,
                    c.getBankIndices(), c.getBandOffsets());
        } else if (one instanceof MultiPixelPackedSampleModel m) {
            aliased = new MultiPixelPackedSampleModel(m.getDataType(), width, height, m.getPixelBitStride(), 0,
                    m.getDataBitOffset());
        } else {
            return null;
        }
        DataBuffer storage = one.createDataBuffer();
        BufferedImage destination = new BufferedImage(cm, new OneRowRaster(aliased, storage), cm.isAlphaPremultiplied(), null);
        BufferedImage rowView = new BufferedImage(cm, Raster.createWritableRaster(one, storage, null), cm.isAlphaPremultiplied(), null);
        return new RowSink(destination, rowView, box, alpha);
    }

    BufferedImage destination() {
        return destination;
    }

    /**
     * Skips the box filter for progressive passes before {@code pass}: ImageIO decodes and
     * delivers every pass of a progressive JPEG in full, and only the last one matters.
     */
    void filterFromPass(int pass) {
        this.firstFilteredPass = pass;
    }

    /** Whether the last filtered pass delivered every row, i.e. the box filter holds a whole image. */
    boolean complete() {
        return rowsOfLastFilteredPass == destination.getHeight();
    }

    void dispose() {
        if (g != null) {
            g.dispose();
        }
    }

    /** Feeds the rows of an already decoded image (the non-streaming path) through the same conversion. */
    static void feed(BufferedImage image, Downscale.Box box, boolean alpha) {
        int w = image.getWidth();
        BufferedImage row = new BufferedImage(w, 1, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) row.getRaster().getDataBuffer()).getData();
        Graphics2D g = row.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            for (int y = 0; y < image.getHeight(); y++) {
                g.drawImage(image, 0, 0, w, 1, 0, y, w, y + 1, null);
                box.argbRow(y, px);
            }
        } finally {
            g.dispose();
        }
    }

    @Override
    public void imageUpdate(ImageReader source, BufferedImage theImage, int minX, int minY, int w, int h,
                            int periodX, int periodY, int[] bands) {
        if (theImage != destination || h != 1 || periodX != 1 || minX != 0 || w != width) {
            throw new IllegalStateException("unexpected partial row update: x=" + minX + " w=" + w + " h=" + h + " period=" + periodX);
        }
        if (minY == directRow) {
            directRow = -1;
            return;
        }
        if (pass < firstFilteredPass) {
            return;
        }
        rowsOfLastFilteredPass++;
        if (rowView == null) {
            box.rgbRow(minY, rgb);
        } else {
            g.drawImage(rowView, 0, 0, null);
            box.argbRow(minY, argb);
        }
    }

    /** Row {@code y} as the decoder's own RGB scanline buffer, before it is copied anywhere. */
    private void acceptRgb(int y, byte[] row) {
        directRow = y;
        if (pass >= firstFilteredPass) {
            rowsOfLastFilteredPass++;
            box.rgbRow(y, row);
        }
    }

    @Override
    public void passStarted(ImageReader source, BufferedImage theImage, int pass, int minPass, int maxPass,
                            int minX, int minY, int periodX, int periodY, int[] bands) {
        this.pass = pass;
        if (pass >= firstFilteredPass) {
            rowsOfLastFilteredPass = 0;
        }
    }

    @Override
    public void passComplete(ImageReader source, BufferedImage theImage) {
    }

    @Override
    public void thumbnailPassStarted(ImageReader source, BufferedImage theThumbnail, int pass, int minPass, int maxPass,
                                     int minX, int minY, int periodX, int periodY, int[] bands) {
    }

    @Override
    public void thumbnailUpdate(ImageReader source, BufferedImage theThumbnail, int minX, int minY, int width, int height,
                                int periodX, int periodY, int[] bands) {
    }

    @Override
    public void thumbnailPassComplete(ImageReader source, BufferedImage theThumbnail) {
    }

    /**
     * A raster whose rows all share one row of storage (scanline stride 0). Every write method of
     * {@link WritableRaster} works through the sample model; the per-scanline {@code setRect} the
     * JPEG decoder calls is read in place by the sink, without a copy.
     */
    static final class OneRowRaster extends WritableRaster {
        /** For the JPEG sink: receives rows straight from the decoder's scanline buffer. */
        private RowSink direct;

        OneRowRaster(SampleModel sampleModel, DataBuffer storage) {
            super(sampleModel, storage, new Point(0, 0));
        }

        @Override
        public void setRect(int dx, int dy, Raster src) {
            if (direct != null && dx == 0 && src.getWidth() == width && src.getHeight() == 1 && dy >= 0 && dy < height
                    && src.getSampleModelTranslateX() == src.getMinX() && src.getSampleModelTranslateY() == src.getMinY()
                    && src.getDataBuffer() instanceof DataBufferByte s && s.getOffset() == 0 && s.getNumBanks() == 1
                    && src.getSampleModel() instanceof PixelInterleavedSampleModel theirs && theirs.getPixelStride() == 3
                    && Arrays.equals(theirs.getBandOffsets(), RGB_OFFSETS)) {
                direct.acceptRgb(dy, s.getData());
                return;
            }
            super.setRect(dx, dy, src);
        }
    }
}
