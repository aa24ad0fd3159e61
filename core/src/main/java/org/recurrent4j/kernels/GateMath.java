package org.recurrent4j.kernels;

/** The gate nonlinearities, in the form the kernels' step loops call. */
final class GateMath {

    private GateMath() {
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /**
     * tanh from one {@code Math.exp}, which HotSpot compiles to an intrinsic, where {@code Math.tanh} is a slow
     * library call; the absolute error stays at a few ulps of 1.
     */
    static double tanh(double x) {
        double e = Math.exp(-2.0 * Math.abs(x));
        double t = (1.0 - e) / (1.0 + e);
        return x < 0 ? -t : t;
    }
}
