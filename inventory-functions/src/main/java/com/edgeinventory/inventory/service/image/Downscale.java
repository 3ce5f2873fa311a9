package com.edgeinventory.inventory.service.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Arrays;

/**
 * Low-pass down-scaling in two stages, both over every source pixel:
 *
 * <ol>
 *   <li>{@link Box}: a streaming box filter that takes decoded rows one at a time and averages each
 *       {@code factor x factor} block into one pixel of a small float image (memory: one row of
 *       accumulators plus the small image);</li>
 *   <li>{@link #resize}: a separable Catmull-Rom filter, widened by the remaining scale ratio, from
 *       that image to the exact thumbnail size.</li>
 * </ol>
 *
 * Alpha is premultiplied while averaging, so fully transparent pixels do not bleed their (arbitrary)
 * colour into their neighbours.
 */
final class Downscale {
    private Downscale() {
    }

    /**
     * A small float image in 0..255 per channel: 3 channels RGB, or 4 channels A, R*a, G*a, B*a
     * (premultiplied, alpha first), row-major and channel-interleaved.
     */
    record Plane(int width, int height, int channels, float[] data) {
    }

    /** Streaming box filter: whole rows in, in order; one {@link Plane} out. */
    static final class Box {
        private final int srcWidth;
        private final int srcHeight;
        private final int factor;
        private final int channels;
        private final int outWidth;
        private final int outHeight;
        private final long[] acc;
        private final float[] out;

        Box(int srcWidth, int srcHeight, int factor, boolean alpha) {
            this.srcWidth = srcWidth;
            this.srcHeight = srcHeight;
            this.factor = factor;
            this.channels = alpha ? 4 : 3;
            this.outWidth = Math.ceilDiv(srcWidth, factor);
            this.outHeight = Math.ceilDiv(srcHeight, factor);
            this.acc = new long[outWidth * channels];
            this.out = new float[Math.multiplyExact(outWidth * channels, outHeight)];
        }

        /** Row {@code y}: {@code srcWidth} RGB byte triples from offset 0 (an opaque image). */
        void rgbRow(int y, byte[] row) {
            startRow(y);
            long[] a = acc;
            int f = factor;
            int p = 0;
            int x = 0;
            for (int ox = 0, i = 0; ox < outWidth; ox++, i += 3) {
                int end = Math.min(x + f, srcWidth);
                int r = 0;
                int g = 0;
                int b = 0;
                for (; x < end; x++, p += 3) {
                    r += row[p] & 0xFF;
                    g += row[p + 1] & 0xFF;
                    b += row[p + 2] & 0xFF;
                }
                a[i] += r;
                a[i + 1] += g;
                a[i + 2] += b;
            }
            endRow(y);
        }

        /** Row {@code y}: {@code srcWidth} non-premultiplied ARGB ints (alpha ignored unless this box has 4 channels). */
        void argbRow(int y, int[] row) {
            startRow(y);
            long[] a = acc;
            int f = factor;
            int x = 0;
            if (channels == 3) {
                for (int ox = 0, i = 0; ox < outWidth; ox++, i += 3) {
                    int end = Math.min(x + f, srcWidth);
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    for (; x < end; x++) {
                        int v = row[x];
                        r += (v >> 16) & 0xFF;
                        g += (v >> 8) & 0xFF;
                        b += v & 0xFF;
                    }
                    a[i] += r;
                    a[i + 1] += g;
                    a[i + 2] += b;
                }
            } else {
                for (int ox = 0, i = 0; ox < outWidth; ox++, i += 4) {
                    int end = Math.min(x + f, srcWidth);
                    long al = 0;
                    long r = 0;
                    long g = 0;
                    long b = 0;
                    for (; x < end; x++) {
                        int v = row[x];
                        int alpha = v >>> 24;
                        al += alpha;
                        r += (long) ((v >> 16) & 0xFF) * alpha;
                        g += (long) ((v >> 8) & 0xFF) * alpha;
                        b += (long) (v & 0xFF) * alpha;
                    }
                    a[i] += al;
                    a[i + 1] += r;
                    a[i + 2] += g;
                    a[i + 3] += b;
                }
            }
            endRow(y);
        }

        private void startRow(int y) {
            if (y % factor == 0) {
                Arrays.fill(acc, 0); // a new block row; also a new progressive pass restarting at row 0
            }
        }

        private void endRow(int y) {
            if (y % factor != factor - 1 && y != srcHeight - 1) {
                return;
            }
            int oy = y / factor;
            int blockHeight = y - oy * factor + 1;
            int base = oy * outWidth * channels;
            float colourScale = channels == 4 ? 1f / 255f : 1f;
            for (int ox = 0, i = 0; ox < outWidth; ox++, i += channels) {
                int blockWidth = Math.min(factor, srcWidth - ox * factor);
                float inv = 1f / ((float) blockWidth * blockHeight);
                if (channels == 3) {
                    out[base + i] = acc[i] * inv;
                    out[base + i + 1] = acc[i + 1] * inv;
                    out[base + i + 2] = acc[i + 2] * inv;
                } else {
                    out[base + i] = acc[i] * inv;
                    out[base + i + 1] = acc[i + 1] * inv * colourScale;
                    out[base + i + 2] = acc[i + 2] * inv * colourScale;
                    out[base + i + 3] = acc[i + 3] * inv * colourScale;
                }
            }
        }

        Plane result() {
            return new Plane(outWidth, outHeight, channels, out);
        }
    }

    /**
     * Averages {@code factor x factor} blocks of a plane (the same box filter as {@link Box}, for a
     * smaller thumbnail derived from the plane of the largest one).
     */
    static Plane shrink(Plane p, int factor) {
        if (factor <= 1) {
            return p;
        }
        int c = p.channels();
        int w = p.width();
        int h = p.height();
        int ow = Math.ceilDiv(w, factor);
        int oh = Math.ceilDiv(h, factor);
        float[] src = p.data();
        float[] dst = new float[ow * oh * c];
        for (int oy = 0; oy < oh; oy++) {
            int y1 = Math.min(h, (oy + 1) * factor);
            for (int ox = 0; ox < ow; ox++) {
                int x0 = ox * factor;
                int x1 = Math.min(w, x0 + factor);
                int o = (oy * ow + ox) * c;
                for (int y = oy * factor; y < y1; y++) {
                    for (int i = (y * w + x0) * c, end = (y * w + x1) * c; i < end; i += c) {
                        for (int k = 0; k < c; k++) {
                            dst[o + k] += src[i + k];
                        }
                    }
                }
                float inv = 1f / ((x1 - x0) * (y1 - oy * factor));
                for (int k = 0; k < c; k++) {
                    dst[o + k] *= inv;
                }
            }
        }
        return new Plane(ow, oh, c, dst);
    }

    /** The plane as displayed under an EXIF orientation (1..8); 1 returns it unchanged. */
    static Plane orient(Plane p, int orientation) {
        if (orientation <= ExifOrientation.NORMAL || orientation > 8) {
            return p;
        }
        int w = p.width();
        int h = p.height();
        int c = p.channels();
        boolean swap = ExifOrientation.swapsAxes(orientation);
        int dw = swap ? h : w;
        int dh = swap ? w : h;
        float[] src = p.data();
        float[] dst = new float[src.length];
        for (int dy = 0; dy < dh; dy++) {
            for (int dx = 0; dx < dw; dx++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - dx; sy = dy; }
                    case 3 -> { sx = w - 1 - dx; sy = h - 1 - dy; }
                    case 4 -> { sx = dx; sy = h - 1 - dy; }
                    case 5 -> { sx = dy; sy = dx; }
                    case 6 -> { sx = dy; sy = h - 1 - dx; }
                    case 7 -> { sx = w - 1 - dy; sy = h - 1 - dx; }
                    default -> { sx = w - 1 - dy; sy = dx; } // 8
                }
                System.arraycopy(src, (sy * w + sx) * c, dst, (dy * dw + dx) * c, c);
            }
        }
        return new Plane(dw, dh, c, dst);
    }

    /**
     * Resamples the plane to {@code width x height} with a Catmull-Rom kernel stretched by the
     * scale ratio on each axis (a proper low-pass when shrinking, plain interpolation otherwise),
     * and returns it as INT_RGB, or INT_ARGB when the plane has alpha.
     */
    static BufferedImage resize(Plane p, int width, int height) {
        int c = p.channels();
        Kernel kx = Kernel.of(p.width(), width);
        Kernel ky = Kernel.of(p.height(), height);
        // Horizontal pass: every source row to the target width.
        float[] src = p.data();
        int srcRowLen = p.width() * c;
        int rowLen = width * c;
        float[] tmp = new float[rowLen * p.height()];
        for (int y = 0; y < p.height(); y++) {
            int srcRow = y * srcRowLen;
            int dstRow = y * rowLen;
            for (int x = 0; x < width; x++) {
                int start = kx.start[x];
                int wBase = x * kx.taps;
                float s0 = 0;
                float s1 = 0;
                float s2 = 0;
                float s3 = 0;
                for (int t = 0; t < kx.taps; t++) {
                    float wt = kx.weights[wBase + t];
                    int i = srcRow + kx.index[start + t] * c;
                    s0 += wt * src[i];
                    s1 += wt * src[i + 1];
                    s2 += wt * src[i + 2];
                    if (c == 4) {
                        s3 += wt * src[i + 3];
                    }
                }
                int o = dstRow + x * c;
                tmp[o] = s0;
                tmp[o + 1] = s1;
                tmp[o + 2] = s2;
                if (c == 4) {
                    tmp[o + 3] = s3;
                }
            }
        }
        // Vertical pass, straight into the packed output.
        boolean alpha = c == 4;
        BufferedImage out = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        float[] acc = new float[rowLen];
        for (int y = 0; y < height; y++) {
            Arrays.fill(acc, 0f);
            int start = ky.start[y];
            int wBase = y * ky.taps;
            for (int t = 0; t < ky.taps; t++) {
                float wt = ky.weights[wBase + t];
                int row = ky.index[start + t] * rowLen;
                for (int i = 0; i < rowLen; i++) {
                    acc[i] += wt * tmp[row + i];
                }
            }
            int o = y * width;
            for (int x = 0, i = 0; x < width; x++, i += c) {
                if (!alpha) {
                    px[o + x] = clamp(acc[i]) << 16 | clamp(acc[i + 1]) << 8 | clamp(acc[i + 2]);
                } else {
                    int a = clamp(acc[i]);
                    if (a == 0) {
                        px[o + x] = 0;
                        continue;
                    }
                    float un = 255f / acc[i] ;
                    px[o + x] = a << 24 | clamp(acc[i + 1] * un) << 16 | clamp(acc[i + 2] * un) << 8 | clamp(acc[i + 3] * un);
                }
            }
        }
        return out;
    }

    private static int clamp(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(255, i);
    }

    /** Precomputed taps of a resampling from {@code srcSize} to {@code dstSize} samples. */
    static final class Kernel {
        final int taps;
        /** Source index of tap t of output i: index[start[i] + t] (edges clamped). */
        final int[] index;
        final int[] start;
        /** weights[i * taps + t], normalised to sum 1 per output. */
        final float[] weights;

        private Kernel(int taps, int[] index, int[] start, float[] weights) {
            this.taps = taps;
            this.index = index;
            this.start = start;
            this.weights = weights;
        }

        static Kernel of(int srcSize, int dstSize) {
            double ratio = (double) srcSize / dstSize;
            double scale = Math.max(1.0, ratio);   // stretch the kernel only when shrinking
            double support = 2.0 * scale;          // Catmull-Rom has support [-2, 2]
            int taps = (int) Math.ceil(2 * support) + 1;
            int[] index = new int[dstSize * taps];
            int[] start = new int[dstSize];
            float[] weights = new float[dstSize * taps];
            for (int i = 0; i < dstSize; i++) {
                double centre = (i + 0.5) * ratio - 0.5;
                int first = (int) Math.floor(centre - support) + 1;
                double sum = 0;
                double[] w = new double[taps];
                for (int t = 0; t < taps; t++) {
                    w[t] = catmullRom((first + t - centre) / scale);
                    sum += w[t];
                }
                start[i] = i * taps;
                for (int t = 0; t < taps; t++) {
                    index[i * taps + t] = Math.clamp(first + t, 0, srcSize - 1);
                    weights[i * taps + t] = (float) (w[t] / sum);
                }
            }
            return new Kernel(taps, index, start, weights);
        }

        /** Keys cubic with a = -0.5. */
        static double catmullRom(double x) {
            x = Math.abs(x);
            if (x < 1) {
                return (1.5 * x - 2.5) * x * x + 1;
            }
            if (x < 2) {
                return ((-0.5 * x + 2.5) * x - 4) * x + 2;
            }
            return 0;
        }
    }
}
