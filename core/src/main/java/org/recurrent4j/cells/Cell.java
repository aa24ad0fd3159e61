package org.recurrent4j.cells;

// has-float-twin: the build writes CellF from this file (core/src/build/GenerateFloatKernels.java)

import org.recurrent4j.compute.GateMath;

/**
 * A recurrent cell, declared once: its gate blocks, states and parameters, its PyTorch form, and the arithmetic of one
 * step forward and backward. The engine ({@code org.recurrent4j.engine.CellEngine}) owns everything else, for every
 * cell alike: the time loop, the GEMMs, masks, directions, initial and final states, truncated BPTT, scratch memory
 * and threads. Adding a cell means one subclass of this class (the README's "Adding a cell" shows how).
 *
 * <p>A step, as the engine runs it, for gate blocks {@code G} of {@code H} units each, a state {@code h} of {@code R}
 * units ({@code R = H}, or {@code P} with a projection):
 * <ol>
 *   <li>{@code z = x_t W + b + h_{t-1} RW} over the first {@code G - S} blocks, where {@code S} is
 *       {@link #separateBlocks()}; the last {@code S} blocks get {@code x_t W + b} only;</li>
 *   <li>for those {@code S} blocks the recurrent product is kept apart: {@code zr = h_{t-1} RW_S}, or with
 *       {@link #gatedProduct()} {@code zr = s RW_S} where {@code s} is what {@link #gatedState} made of
 *       {@code h_{t-1}};</li>
 *   <li>{@link #forward}: the cell's arithmetic makes {@code h_t} (and {@code c_t}) from {@code z}, {@code zr}, the
 *       recurrent bias {@code rb} of the separate blocks and the previous state;</li>
 *   <li>with a projection ({@link #projection()} {@code P > 0}) the engine then sets {@code h_t = h_t WHR}.</li>
 * </ol>
 * Masked (padded) rows are the engine's: whatever the arithmetic computes for them is replaced by the previous state,
 * an output of 0, and zero gradients. So the arithmetic works on whole flat ranges {@code [from, to)} of the
 * {@code [B*H]} arrays (rows {@code b0..b1} are {@code [b0*H, b1*H)}), with one index for all arrays, which C2
 * vectorises.
 *
 * <p>This double source is also the float arithmetic: the build generates {@code CellF} and each cell's {@code ...F}
 * twin from it ({@code double} becomes {@code float}, {@link GateMath} becomes its float form), so the arithmetic is
 * written once.
 */
public abstract class Cell {

    // double-only:begin
    /** Input weights {@code [nIn, G*H]}. */
    public static final String WEIGHT_KEY = "W";
    /** Recurrent weights {@code [R, G*H]}. */
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    /** Bias {@code [1, G*H]} (PyTorch's two biases summed, where they only ever add). */
    public static final String BIAS_KEY = "b";
    /** Recurrent bias of the separate blocks {@code [1, S*H]} (the GRU's {@code b_hn}). */
    public static final String RECURRENT_BIAS_KEY = "RB";
    /** Projection weights {@code [H, P]} (PyTorch's {@code weight_hr}, transposed). */
    public static final String PROJECTION_KEY = "WHR";
    /**
     * What the backward direction of a bidirectional layer adds to each name: DL4J's updater splits parameter names at
     * their last {@code _}, so PyTorch's {@code _reverse} cannot be used.
     */
    public static final String REVERSE_SUFFIX = "Reverse";

    /** One named parameter array and its shape. */
    public record Parameter(String key, long rows, long cols) {
        public long length() {
            return rows * cols;
        }
    }

    /** The cell for messages: "LSTM", "GRU", "Elman RNN (tanh)". */
    public abstract String name();

    /** Gate blocks in the weights: Elman 1, GRU 3, LSTM 4. */
    public abstract int gates();

    /** States carried between steps: 1 ({@code h}), or 2 ({@code h} and {@code c}). */
    public int states() {
        return 1;
    }

    /**
     * The trailing gate blocks whose recurrent product is not added to the input's but handed to {@link #forward} as
     * {@code zr}, with a recurrent bias of their own (the GRU's candidate: 1); 0 for most cells.
     */
    public int separateBlocks() {
        return 0;
    }

    /**
     * True where the separate blocks' recurrent product multiplies what {@link #gatedState} makes of {@code h_{t-1}}
     * instead of {@code h_{t-1}} itself (the original GRU: {@code (r*h) R_n}). It costs a second GEMM per step.
     */
    public boolean gatedProduct() {
        return false;
    }

    /**
     * The size {@code P} of the projected state, 0 for none (PyTorch's {@code proj_size}). A projected cell's state
     * {@code h} has {@code P} units, its cell state {@code H}; its arithmetic must not use {@code h_{t-1}} except
     * through the recurrent product.
     */
    public int projection() {
        return 0;
    }

    /** The units of the state {@code h} and of the output: {@code P} with a projection, else {@code hidden}. */
    public final long stateSize(long hidden) {
        return projection() > 0 ? projection() : hidden;
    }

    /**
     * The initial value of bias block {@code gate}, {@code base} being the layer's bias init (the LSTM's forget gate
     * overrides it).
     */
    public double biasInit(int gate, double base) {
        return base;
    }

    /** PyTorch's mode for this cell ({@code torch.nn.RNNBase}'s {@code mode}), or null where PyTorch has none. */
    public abstract String torchMode();

    /**
     * A stable name of the arithmetic, the same for cells that compute the same thing: accelerators look up their
     * kernels by it ("lstm", "gru", "gru-reset-before", "rnn-tanh", ...).
     */
    public abstract String kind();

    /**
     * The parameters of one direction in their order in the flat parameter array: {@code W}, {@code RW}, {@code b}
     * (with bias), {@code RB} (with bias and separate blocks), {@code WHR} (with a projection).
     */
    public final java.util.List<Parameter> parameters(long nIn, long hidden, boolean bias) {
        long width = gates() * hidden;
        java.util.List<Parameter> p = new java.util.ArrayList<>();
        p.add(new Parameter(WEIGHT_KEY, nIn, width));
        p.add(new Parameter(RECURRENT_WEIGHT_KEY, stateSize(hidden), width));
        if (bias) {
            p.add(new Parameter(BIAS_KEY, 1, width));
            if (separateBlocks() > 0) {
                p.add(new Parameter(RECURRENT_BIAS_KEY, 1, separateBlocks() * hidden));
            }
        }
        if (projection() > 0) {
            p.add(new Parameter(PROJECTION_KEY, hidden, projection()));
        }
        return p;
    }

    /** {@code key} for the forward direction, or with {@code reverse} for a bidirectional layer's backward one. */
    public static String key(String key, boolean reverse) {
        return reverse ? key + REVERSE_SUFFIX : key;
    }

    /** The arithmetic in float, which runs float networks: generated from this class's double source. */
    public abstract CellF floats();

    @Override
    public String toString() {
        return name();
    }
    // double-only:end

    /** {@code a[k] = f(a[k])} for {@code k} in {@code [from, to)}. */
    protected static void apply(GateMath math, Nonlinearity f, double[] a, int from, int to) {
        switch (f) {
            case TANH -> math.tanh(a, from, to);
            case SIGMOID -> math.sigmoid(a, from, to);
            case RELU -> {
                for (int k = from; k < to; k++) {
                    a[k] = Math.max(0.0, a[k]);
                }
            }
            case IDENTITY -> {
            }
            case HARD_SIGMOID -> {
                for (int k = from; k < to; k++) {
                    a[k] = Math.min(1.0, Math.max(0.0, a[k] / 6.0 + 0.5));
                }
            }
            case HARD_SIGMOID_KERAS2 -> {
                for (int k = from; k < to; k++) {
                    a[k] = Math.min(1.0, Math.max(0.0, 0.2 * a[k] + 0.5));
                }
            }
        }
    }

    /**
     * {@code d[k] = f'(x_k)} for {@code k} in {@code [from, to)}, from the outputs {@code y[k] = f(x_k)} (each
     * function's derivative is one of its output; {@code d} may be {@code y}). At the kinks of relu and the hard
     * sigmoids the derivative taken is that of the flat side, as PyTorch's and TensorFlow's gradients take it.
     */
    protected static void derivative(Nonlinearity f, double[] y, double[] d, int from, int to) {
        switch (f) {
            case TANH -> {
                for (int k = from; k < to; k++) {
                    d[k] = 1.0 - y[k] * y[k];
                }
            }
            case SIGMOID -> {
                for (int k = from; k < to; k++) {
                    d[k] = y[k] * (1.0 - y[k]);
                }
            }
            case RELU -> {
                for (int k = from; k < to; k++) {
                    d[k] = y[k] > 0.0 ? 1.0 : 0.0;
                }
            }
            case IDENTITY -> java.util.Arrays.fill(d, from, to, 1.0);
            case HARD_SIGMOID -> {
                for (int k = from; k < to; k++) {
                    d[k] = y[k] > 0.0 && y[k] < 1.0 ? 1.0 / 6.0 : 0.0;
                }
            }
            case HARD_SIGMOID_KERAS2 -> {
                for (int k = from; k < to; k++) {
                    d[k] = y[k] > 0.0 && y[k] < 1.0 ? 0.2 : 0.0;
                }
            }
        }
    }

    /**
     * The arithmetic of one step forward over {@code [from, to)}. On entry {@code z[g]} holds block g's
     * pre-activations ({@code [B*H]} each, the recurrent product added except for separate blocks), {@code zr[s]} the
     * separate blocks' recurrent products, {@code rb[s]} their recurrent bias tiled to {@code [B*H]} (zeros without
     * bias). On exit {@code hOut} (and {@code cOut}) hold the new state; {@code z} and {@code zr} hold whatever
     * {@link #backward} needs (usually the activated gates). {@code cPrev}/{@code cOut} are null for one-state cells.
     * With {@link #gatedProduct()}, {@link #gatedState} ran first on the same {@code z}.
     */
    public abstract void forward(GateMath math, double[][] z, double[][] zr, double[][] rb, double[] hPrev,
                                 double[] cPrev, double[] hOut, double[] cOut, int from, int to);

    /**
     * For {@link #gatedProduct()} cells, the first part of a step: makes {@code gated} (what the separate blocks'
     * recurrent product multiplies) from {@code hPrev} and the non-separate blocks of {@code z}, which it may activate
     * in place.
     */
    public void gatedState(GateMath math, double[][] z, double[] hPrev, double[] gated, int from, int to) {
        throw new UnsupportedOperationException("no gated product");
    }

    /**
     * The gradient of one step over {@code [from, to)}. On entry {@code dh} is the whole gradient reaching the cell's
     * output {@code h_t} (from the layer's output and from later steps; before the projection, with one), {@code dc}
     * that reaching {@code c_t}, {@code c} a scratch copy of {@code c_t}; {@code z}/{@code zr} as {@link #forward} left
     * them. On exit {@code dz} and {@code dzr} hold the gradients of the pre-activations and of the separate
     * recurrent products, {@code dh} the part of the gradient of {@code h_{t-1}} that does not pass through a
     * recurrent product (0 for most cells) and {@code dc} that of {@code c_{t-1}}. With {@link #gatedProduct()},
     * {@link #backwardGatedState} runs next and {@code dh} may hold an intermediate.
     */
    public abstract void backward(GateMath math, double[][] z, double[][] zr, double[] hPrev, double[] cPrev,
                                  double[] c, double[] dh, double[] dc, double[][] dz, double[][] dzr, int from,
                                  int to);

    /**
     * For {@link #gatedProduct()} cells, the second part of backward, given {@code dGated}, the gradient of the gated
     * state (the engine's {@code dzr RW_S^T}): completes {@code dz} and {@code dh}.
     */
    public void backwardGatedState(GateMath math, double[][] z, double[] hPrev, double[] dGated, double[] dh,
                                   double[][] dz, int from, int to) {
        throw new UnsupportedOperationException("no gated product");
    }
}
