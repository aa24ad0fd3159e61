package org.recurrent4j.kernels;

/**
 * Elman RNN: {@code h_t = f(x_t W + b + h_{t-1} R)}, with f tanh, relu or identity (PyTorch's {@code nn.RNN} with
 * its two biases summed).
 */
public final class ElmanKernel extends StepKernel {

    // double-only:begin
    /** The activations the fused kernel implements. */
    public enum Activation { TANH, RELU, IDENTITY }

    private final ElmanKernelF floats;

    @Override
    StepKernelF floats() {
        return floats;
    }
    // double-only:end

    private final ElmanKernel.Activation activation;

    public ElmanKernel(ElmanKernel.Activation activation) {
        this.activation = activation;
        // double-only:begin
        this.floats = new ElmanKernelF(activation);
        // double-only:end
    }

    public ElmanKernel.Activation activation() {
        return activation;
    }

    @Override
    public int gates() {
        return 1;
    }

    @Override
    public int states() {
        return 1;
    }

    @Override
    void cellForward(GateMath math, double[][] gates, double[] hPrev, double[] cPrev, double[] hOut, double[] cOut,
                     double[] y, Sequence in, int t, int hidden, int b0, int b1) {
        double[] z = gates[0];
        for (int b = b0; b < b1; b++) {
            int o = b * hidden;
            if (!in.live(t, b)) {
                padded(hPrev, hOut, y, o, hidden);
                continue;
            }
            switch (activation) {
                case TANH -> math.tanh(z, o, o + hidden);
                case RELU -> {
                    for (int j = o; j < o + hidden; j++) {
                        z[j] = Math.max(0.0, z[j]);
                    }
                }
                case IDENTITY -> {
                }
            }
            System.arraycopy(z, o, hOut, o, hidden);
            System.arraycopy(z, o, y, o, hidden);
        }
    }

    @Override
    void cellBackward(GateMath math, double[][] gates, double[] cPrev, double[] c, double[] dy, double[] dh,
                      double[] dc, double[][] dgates, Sequence in, int t, int hidden, int b0, int b1) {
        double[] z = gates[0];
        double[] dz = dgates[0];
        for (int b = b0; b < b1; b++) {
            int o = b * hidden;
            if (!in.live(t, b)) {
                zeroRow(dgates, o, hidden);
                continue;   // dh passes to h_{t-1} unchanged
            }
            for (int j = o; j < o + hidden; j++) {
                double g = dy[j] + dh[j];
                double a = z[j];
                dz[j] = switch (activation) {
                    case TANH -> g * (1.0 - a * a);
                    case RELU -> a > 0.0 ? g : 0.0;
                    case IDENTITY -> g;
                };
                dh[j] = 0.0;
            }
        }
    }
}
