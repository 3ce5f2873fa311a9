import com.edgeinventory.inventory.service.image.ImageLimits;
import com.edgeinventory.inventory.service.image.ImageOutcome;
import com.edgeinventory.inventory.service.image.ImageProcessor;
import com.edgeinventory.inventory.service.image.Thumbnail;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageOutputStream;

/**
 * Benchmark harness for ImageProcessor (not a test).
 *
 * <pre>
 *   java ThumbnailBench generate OUT.jpg [WIDTH HEIGHT]   # photographic-like JPEG at quality 0.9
 *   java ThumbnailBench run IN.jpg OUTDIR [WARM_RUNS]      # one cold call, then optional warm calls
 * </pre>
 *
 * {@code run} prints {@code key=value} lines for run.sh: inproc_ms (first process() call, file already
 * in memory, JVM start excluded), read_ms, peak_heap_mb (sum of heap pools' peak usage, an upper bound),
 * gc_count, gc_ms, warm_median_ms.
 */
public final class ThumbnailBench {
    private static final List<Integer> SIZES = List.of(128, 512);

    public static void main(String[] args) throws IOException {
        switch (args.length == 0 ? "" : args[0]) {
            case "generate" -> generate(Path.of(args[1]),
                    args.length > 3 ? Integer.parseInt(args[2]) : 6000, args.length > 3 ? Integer.parseInt(args[3]) : 4000);
            case "run" -> run(Path.of(args[1]), Path.of(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 0);
            default -> {
                System.err.println("usage: ThumbnailBench generate OUT.jpg [W H] | run IN.jpg OUTDIR [WARM_RUNS]");
                System.exit(2);
            }
        }
    }

    private static void run(Path input, Path outDir, int warmRuns) throws IOException {
        long t0 = System.nanoTime();
        byte[] data = Files.readAllBytes(input);
        long t1 = System.nanoTime();
        ImageProcessor processor = new ImageProcessor(ImageLimits.DEFAULT, SIZES);
        ImageOutcome outcome = processor.process(input.getFileName().toString(), data);
        long t2 = System.nanoTime();
        double peakHeapMb = peakHeapMb();
        if (!(outcome instanceof ImageOutcome.Processed processed)) {
            System.err.println("not processed: " + outcome);
            System.exit(1);
            return;
        }
        Files.createDirectories(outDir);
        for (Thumbnail t : processed.thumbnails()) {
            Files.write(outDir.resolve("ours_" + t.longSide() + "." + t.extension()), t.bytes());
        }
        long gcCount = 0;
        long gcMs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMs += Math.max(0, gc.getCollectionTime());
        }
        System.out.printf("metadata=%s%n", processed.metadata());
        System.out.printf("thumbnails=%s%n", processed.thumbnails());
        System.out.printf("read_ms=%.1f%n", (t1 - t0) / 1e6);
        System.out.printf("inproc_ms=%.1f%n", (t2 - t1) / 1e6);
        System.out.printf("peak_heap_mb=%.1f%n", peakHeapMb);
        System.out.printf("gc_count=%d%ngc_ms=%d%n", gcCount, gcMs);
        System.out.printf("max_heap_mb=%.0f%n", Runtime.getRuntime().maxMemory() / 1048576.0);
        if (warmRuns > 0) {
            double[] ms = new double[warmRuns];
            for (int i = 0; i < warmRuns; i++) {
                long s = System.nanoTime();
                processor.process(input.getFileName().toString(), data);
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf("warm_median_ms=%.1f%nwarm_min_ms=%.1f%n", ms[warmRuns / 2], ms[0]);
        }
    }

    private static double peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / 1048576.0;
    }

    /** Gradients, soft shapes, a few hard edges, fine texture and sensor-like noise: not trivially compressible. */
    private static void generate(Path out, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(70, 110, 160), 0, height * 0.6f, new Color(200, 190, 170)));
        g.fillRect(0, 0, width, height);
        g.setPaint(new GradientPaint(0, height * 0.55f, new Color(120, 95, 70), width, height, new Color(60, 50, 40)));
        g.fillRect(0, (int) (height * 0.55), width, height);
        Random random = new Random(2025);
        for (int i = 0; i < 160; i++) {
            float x = random.nextFloat() * width;
            float y = random.nextFloat() * height;
            float r = 40 + random.nextFloat() * width / 10f;
            Color c = new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), 90 + random.nextInt(140));
            g.setPaint(new RadialGradientPaint(x, y, r, new float[] {0f, 1f}, new Color[] {c, new Color(c.getRed() / 3, c.getGreen() / 3, c.getBlue() / 3, c.getAlpha())}));
            switch (i % 3) {
                case 0 -> g.fill(new Ellipse2D.Float(x - r, y - r * 0.7f, 2 * r, 1.4f * r));
                case 1 -> g.fill(new RoundRectangle2D.Float(x - r, y - r / 2, 2 * r, r, r / 4, r / 4));
                default -> {
                    Path2D.Float p = new Path2D.Float();
                    p.moveTo(x, y - r);
                    for (int k = 1; k < 6; k++) {
                        p.lineTo(x + r * Math.cos(k * 1.2566) * (0.6 + random.nextFloat() * 0.5), y - r * Math.sin(k * 1.2566 + Math.PI / 2));
                    }
                    p.closePath();
                    g.fill(p);
                }
            }
        }
        g.setStroke(new BasicStroke(3f));
        for (int i = 0; i < 400; i++) { // thin hard edges: shelves, labels, cables
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            int x = random.nextInt(width);
            int y = random.nextInt(height);
            g.drawLine(x, y, x + random.nextInt(600) - 300, y + random.nextInt(600) - 300);
        }
        g.dispose();

        int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        long state = 0x9E3779B97F4A7C15L;
        for (int y = 0; y < height; y++) {
            double textureAmp = 10 * (0.5 + 0.5 * Math.sin(y * 0.004));
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                // luminance noise (sum of two uniforms ~ triangular, sd ~ 4.5) plus a little chroma noise
                int lum = (int) ((state & 0xF) + ((state >>> 4) & 0xF)) - 15;
                int cr = (int) ((state >>> 8) & 0x7) - 3;
                int cb = (int) ((state >>> 11) & 0x7) - 3;
                int tex = (int) (textureAmp * Math.sin(x * 0.9 + y * 0.35));
                int rgb = px[i];
                int r = clamp(((rgb >> 16) & 0xFF) + lum + tex + cr);
                int gg = clamp(((rgb >> 8) & 0xFF) + lum + tex);
                int b = clamp((rgb & 0xFF) + lum + tex + cb);
                px[i] = r << 16 | gg << 8 | b;
            }
        }

        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        Files.deleteIfExists(out);
        try (FileImageOutputStream stream = new FileImageOutputStream(out.toFile())) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        System.out.printf("generated %s: %dx%d, %d bytes%n", out, width, height, Files.size(out));
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }
}
