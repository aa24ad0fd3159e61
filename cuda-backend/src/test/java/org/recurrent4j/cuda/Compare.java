package org.recurrent4j.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The error measure of the GPU checks: the largest difference relative to the largest reference value. */
final class Compare {

    private Compare() {
    }

    static double relError(float[] actual, double[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("length " + actual.length + ", expected " + expected.length);
        }
        double diff = 0.0;
        double scale = 0.0;
        for (int i = 0; i < actual.length; i++) {
            if (Float.isNaN(actual[i])) {
                return Double.POSITIVE_INFINITY;
            }
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return scale == 0.0 ? diff : diff / scale;
    }

    static void assertClose(String what, float[] actual, double[] expected, double tolerance) {
        double e = relError(actual, expected);
        assertTrue(e <= tolerance, what + ": relative error " + e + " above " + tolerance);
    }
}
