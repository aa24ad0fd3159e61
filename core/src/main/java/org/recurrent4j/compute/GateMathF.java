package org.recurrent4j.compute;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The gate nonlinearities of the float kernels: a rational approximation of tanh (Eigen's for float, clamped at
 * about 8) evaluated in float lanes, which C2 vectorises. Absolute error within a few float ulps
 * ({@code GateMathTest}); float networks only, so the gradient checks, which run in double, keep
 * {@link GateMath#EXACT}.
 */
public abstract class GateMathF {

    public static final GateMathF FAST = new Fast();

    /** The form for a float kernel; there is one. */
    public static GateMathF of(DataType dt) {
        if (dt != DataType.FLOAT) {
            throw new IllegalArgumentException("the float kernels run float networks, not " + dt);
        }
        return FAST;
    }

    /** {@code a[i] = sigmoid(a[i])} for {@code i} in {@code [from, to)}. */
    public abstract void sigmoid(float[] a, int from, int to);

    /** {@code a[i] = tanh(a[i])} for {@code i} in {@code [from, to)}. */
    public abstract void tanh(float[] a, int from, int to);

    private static final class Fast extends GateMathF {

        /** Beyond this, tanh rounds to +-1 in float. */
        private static final float CLAMP = 7.99881172180175781f;

        @Override
        public void sigmoid(float[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                a[i] = 0.5f + 0.5f * tanh(0.5f * a[i]);
            }
        }

        @Override
        public void tanh(float[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                a[i] = tanh(a[i]);
            }
        }

        /** Odd degree-13 numerator over even degree-6 denominator; branch-free, so the loops above vectorise. */
        private static float tanh(float v) {
            float x = Math.max(-CLAMP, Math.min(CLAMP, v));
            float x2 = x * x;
            float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
            p = p * x2 + -8.60467152213735e-11f;
            p = p * x2 + 5.12229709037114e-08f;
            p = p * x2 + 1.48572235717979e-05f;
            p = p * x2 + 6.37261928875436e-04f;
            p = p * x2 + 4.89352455891786e-03f;
            float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
            q = q * x2 + 2.26843463243900e-03f;
            q = q * x2 + 4.89352518554385e-03f;
            return x * p / q;
        }
    }
}
