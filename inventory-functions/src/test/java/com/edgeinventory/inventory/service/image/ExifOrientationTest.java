package com.edgeinventory.inventory.service.image;

import com.edgeinventory.testing.TestImages;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.geom.Point2D;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExifOrientationTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void readsBothByteOrders(int orientation) {
        byte[] motorola = TestImages.exifTiff(orientation, ByteOrder.BIG_ENDIAN);
        byte[] intel = TestImages.exifTiff(orientation, ByteOrder.LITTLE_ENDIAN);

        assertThat(ExifOrientation.read(motorola, 0, motorola.length)).isEqualTo(orientation);
        assertThat(ExifOrientation.read(intel, 0, intel.length)).isEqualTo(orientation);
    }

    @Test
    void readsWithinAWindowOfALargerArray() {
        byte[] tiff = TestImages.exifTiff(6, ByteOrder.LITTLE_ENDIAN);
        byte[] padded = new byte[tiff.length + 20];
        System.arraycopy(tiff, 0, padded, 10, tiff.length);

        assertThat(ExifOrientation.read(padded, 10, tiff.length)).isEqualTo(6);
        assertThat(ExifOrientation.read(padded, 10, tiff.length - 6)).as("entry cut off by the window").isEqualTo(1);
    }

    @Test
    void randomGarbageNeverThrowsAndYieldsAValidOrientation() {
        Random random = new Random(1);
        for (int i = 0; i < 5000; i++) {
            byte[] tiff = TestImages.exifTiff(1 + random.nextInt(8), random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < 3; k++) {
                tiff[random.nextInt(tiff.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(tiff.length + 1);

            assertThat(ExifOrientation.read(tiff, 0, length)).isBetween(1, 8);
        }
    }

    @Test
    void transformsMapTheStoredOriginToTheExpectedDisplayedCorner() {
        // stored 40x20; where does the stored top-left pixel's centre land?
        double[][] expected = {
            {0.5, 0.5}, {39.5, 0.5}, {39.5, 19.5}, {0.5, 19.5}, // 1..4 (40x20 displayed)
            {0.5, 0.5}, {19.5, 0.5}, {19.5, 39.5}, {0.5, 39.5}, // 5..8 (20x40 displayed)
        };
        for (int o = 1; o <= 8; o++) {
            Point2D p = ExifOrientation.toDisplay(o, 40, 20).transform(new Point2D.Double(0.5, 0.5), null);
            assertThat(new double[] {p.getX(), p.getY()}).as("orientation %d", o).containsExactly(expected[o - 1]);
            assertThat(ExifOrientation.swapsAxes(o)).isEqualTo(o >= 5);
        }
    }
}
