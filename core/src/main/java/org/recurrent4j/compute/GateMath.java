package org.recurrent4j.compute;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The gate nonlinearities of the double kernels, applied in place to a run of a scratch array. {@link #EXACT} goes
 * through {@code Math.exp}, which C2 compiles to a scalar intrinsic only: double networks are where the gradient
 * checks run, and they need the true function. Float networks run the generated float kernels, whose
 * {@link GateMathF} is a rational approximation that C2 vectorises (an LSTM step at batch 32, hidden 128 spent 9.5 ms
 * in its gate arithmetic with {@code Math.exp}, about 1 ms with the approximation; the README's speed section has the
 * measurements).
 */
public abstract class GateMath {

    public static final GateMath EXACT = new Exact();

    /** The form for a double kernel. */
    public static GateMath of(DataType dt) {
        if (dt != DataType.DOUBLE) {
            throw new IllegalArgumentException("the double kernels run double networks, not " + dt);
        }
        return EXACT;
    }

    /** {@code a[i] = sigmoid(a[i])} for {@code i} in {@code [from, to)}. */
    public abstract void sigmoid(double[] a, int from, int to);

    /** {@code a[i] = tanh(a[i])} for {@code i} in {@code [from, to)}. */
    public abstract void tanh(double[] a, int from, int to);

    private static final class Exact extends GateMath {

        @Override
        public void sigmoid(double[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                a[i] = 1.0 / (1.0 + Math.exp(-a[i]));
            }
        }

        /**
         * tanh from one {@code Math.exp}, which HotSpot compiles to an intrinsic, where {@code Math.tanh} is a slow
         * library call; the absolute error stays at a few ulps of 1.
         */
        @Override
        public void tanh(double[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                double x = a[i];
                double e = Math.exp(-2.0 * Math.abs(x));
                double t = (1.0 - e) / (1.0 + e);
                a[i] = x < 0 ? -t : t;
            }
        }
    }
}
