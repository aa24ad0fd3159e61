package org.recurrent4j.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class GateMathTest {

    /** Dense grid over [-20, 20], plus the values where the fast form clamps. */
    private static double[] grid() {
        int n = 400_001;
        double[] x = new double[n + 4];
        for (int i = 0; i < n; i++) {
            x[i] = -20.0 + 40.0 * i / (n - 1);
        }
        x[n] = 7.99881172180175781;
        x[n + 1] = -7.99881172180175781;
        x[n + 2] = 1e-30;
        x[n + 3] = -0.0;
        return x;
    }

    private static double maxError(GateMath math, boolean sigmoid) {
        double[] x = grid();
        double[] a = x.clone();
        // an offset run, as the kernels pass one gate block of a row
        if (sigmoid) {
            math.sigmoid(a, 0, 3);
            math.sigmoid(a, 3, a.length);
        } else {
            math.tanh(a, 0, 3);
            math.tanh(a, 3, a.length);
        }
        return worst(x, a, sigmoid);
    }

    /** The float form on the grid rounded to float, against the double function of the rounded inputs. */
    private static double maxError(GateMathF math, boolean sigmoid) {
        double[] x = grid();
        float[] a = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            a[i] = (float) x[i];
            x[i] = a[i];
        }
        if (sigmoid) {
            math.sigmoid(a, 0, 3);
            math.sigmoid(a, 3, a.length);
        } else {
            math.tanh(a, 0, 3);
            math.tanh(a, 3, a.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return worst(x, d, sigmoid);
    }

    private static double worst(double[] x, double[] a, boolean sigmoid) {
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double expected = sigmoid ? 1.0 / (1.0 + Math.exp(-x[i])) : Math.tanh(x[i]);
            worst = Math.max(worst, Math.abs(a[i] - expected));
        }
        return worst;
    }

    @Test
    void exactFormIsTheFunctionToDoublePrecision() {
        assertTrue(maxError(GateMath.EXACT, false) < 1e-15, "tanh");
        assertTrue(maxError(GateMath.EXACT, true) < 1e-15, "sigmoid");
    }

    @Test
    void floatFormIsWithinAFewFloatUlps() {
        double ulp = Math.ulp(1f);
        double tanh = maxError(GateMathF.FAST, false);
        double sigmoid = maxError(GateMathF.FAST, true);
        assertTrue(tanh < 4 * ulp, "tanh error " + tanh);
        assertTrue(sigmoid < 4 * ulp, "sigmoid error " + sigmoid);
    }

    @Test
    void floatFormIsOddAndSaturates() {
        float[] a = {3f, -3f, 50f, -50f, 0f};
        GateMathF.FAST.tanh(a, 0, a.length);
        assertEquals(-a[0], a[1]);
        // the clamp holds large inputs at the value near 8: 1 - 2.2e-7, under 2 float ulps from 1
        assertEquals(1.0, a[2], 2 * Math.ulp(1f));
        assertEquals(-1.0, a[3], 2 * Math.ulp(1f));
        assertEquals(0.0, a[4]);
        float[] s = {50f, -50f, Float.NaN};
        GateMathF.FAST.sigmoid(s, 0, s.length);
        assertEquals(1.0, s[0], Math.ulp(1f));
        assertEquals(0.0, s[1], Math.ulp(1f));
        assertTrue(Float.isNaN(s[2]), "NaN stays NaN");
    }

    @Test
    void doubleKernelsGetTheExactFormAndFloatKernelsTheFloatOne() {
        assertEquals(GateMath.EXACT, GateMath.of(DataType.DOUBLE));
        assertEquals(GateMathF.FAST, GateMathF.of(DataType.FLOAT));
        assertThrows(IllegalArgumentException.class, () -> GateMath.of(DataType.FLOAT));
        assertThrows(IllegalArgumentException.class, () -> GateMathF.of(DataType.DOUBLE));
    }

    @Test
    void leavesEverythingOutsideTheRunAlone() {
        float[] a = {5f, 5f, 5f, 5f};
        GateMathF.FAST.tanh(a, 1, 3);
        GateMathF.FAST.sigmoid(a, 3, 3);
        assertEquals(5f, a[0]);
        assertEquals(5f, a[3]);
        assertEquals(Math.tanh(5.0), a[1], 1e-6);
        double[] d = {5.0, 5.0, 5.0};
        GateMath.EXACT.sigmoid(d, 1, 2);
        assertEquals(5.0, d[0]);
        assertEquals(5.0, d[2]);
    }
}
