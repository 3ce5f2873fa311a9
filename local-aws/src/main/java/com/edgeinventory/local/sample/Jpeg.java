package com.edgeinventory.local.sample;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes the JPEGs that stand in for a warehouse's photos: the demo's catalog images and the tests' images
 * (test-support's {@code TestImages}). In memory, with the JDK's writer, so no binary is committed.
 */
public final class Jpeg {

    private Jpeg() {
    }

    /** {@code image} as a baseline JPEG at {@code quality} (0..1). */
    public static byte[] encode(BufferedImage image, float quality) {
        return encode(new IIOImage(image, null, null), quality);
    }

    /** An {@link IIOImage} (e.g. a raw four-channel raster) as a JPEG at {@code quality} (0..1). */
    public static byte[] encode(IIOImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a JPEG in memory", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
