package org.recurrent4j.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GPU check's error measure as an assertion. */
final class Compare {

    private Compare() {
    }

    static void assertClose(String what, float[] actual, double[] expected, double tolerance) {
        double e = GpuCheck.relError(actual, expected);
        assertTrue(e <= tolerance, what + ": relative error " + e + " above " + tolerance);
    }
}
