package org.recurrent4j.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of {@code org.recurrent4j.conf.KerasRecurrentOutput}. Works on host copies in double
 * ({@code [batch][features][time]}, flat): it moves values and adds or multiplies two of them, so its cost is one pass over the sequence.
 */
public class KerasRecurrentOutputLayer extends NoParamSequenceLayer<KerasRecurrentOutputLayer.Settings> {

    /** Keras' {@code merge_mode} of a {@code Bidirectional} layer. */
    public enum Merge { CONCAT, SUM, MUL, AVERAGE }

    /** What this layer reads of its configuration. */
    public interface Settings {
        /** 1, or 2 for a bidirectional layer's output [forward, backward]. */
        int getDirections();

        /** How two directions combine. */
        Merge getMerge();

        /** Keras' {@code return_sequences}. */
        boolean isReturnSequences();

        /** Keras' {@code zero_output_for_mask} of a one-direction layer. */
        boolean isZeroOutputForMask();

        /** Hand on the incoming mask reversed in time (after {@code go_backwards}). */
        boolean isRestoreMask();

        RNNFormat getDataFormat();

        /** The output features for {@code in} input features. */
        default long outputSize(long in) {
            return getDirections() == 2 && getMerge() != Merge.CONCAT ? in / 2 : in;
        }
    }

    public KerasRecurrentOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, Settings.class);
    }

    /**
     * The shape of the work: batch, input features, time, output features, features per direction, and the mask as
     * 0/1 per [b*T + t].
     */
    private record Dims(int batch, int features, int steps, int out, int perDirection, boolean[] real) {

        boolean real(int b, int t) {
            return real == null || real[b * steps + t];
        }

        /** The last real step of row b (from the end), or the first; -1 for none. */
        int lastReal(int b, boolean first) {
            for (int k = 0; k < steps; k++) {
                int t = first ? k : steps - 1 - k;
                if (real(b, t)) {
                    return t;
                }
            }
            return -1;
        }
    }

    private boolean nwc() {
        return settings().getDataFormat() == RNNFormat.NWC;
    }

    private Dims dims(INDArray x) {
        SequenceArrays.requireRank3(x, settings().getDataFormat(), "KerasRecurrentOutput", layerId());
        int b = (int) x.size(0);
        int f = (int) x.size(nwc() ? 2 : 1);
        int t = (int) x.size(nwc() ? 1 : 2);
        if (settings().getDirections() == 2 && f % 2 != 0) {
            throw new IllegalArgumentException("KerasRecurrentOutput " + layerId() + ": two directions need an even "
                    + "number of features, got " + f);
        }
        boolean[] real = null;
        if (maskArray != null) {
            if (maskArray.rank() != 2 || maskArray.size(0) != b || maskArray.size(1) != t) {
                throw new IllegalArgumentException("KerasRecurrentOutput " + layerId() + ": the mask has shape "
                        + java.util.Arrays.toString(maskArray.shape()) + ", expected [batch, time] = [" + b + ", " + t
                        + "]");
            }
            double[] m = maskArray.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            real = new boolean[m.length];
            for (int i = 0; i < m.length; i++) {
                real[i] = m[i] != 0.0;
            }
        }
        return new Dims(b, f, t, (int) settings().outputSize(f), settings().getDirections() == 2 ? f / 2 : f, real);
    }

    /** {@code a} as NCW doubles, flat {@code [b][f][t]}. */
    private double[] host(INDArray a) {
        INDArray ncw = nwc() ? a.permute(0, 2, 1) : a;
        return ncw.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private INDArray device(double[] v, long... ncwShape) {
        INDArray a = Nd4j.create(v, ncwShape, 'c').castTo(dataType);
        return ncwShape.length == 3 && nwc() ? a.permute(0, 2, 1).dup('c') : a;
    }

    private boolean carry() {
        return settings().getDirections() == 1 && settings().isReturnSequences()
                && !settings().isZeroOutputForMask();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        Dims d = dims(input);
        double[] x = host(input);
        Settings c = settings();
        int bs = d.batch();
        int f = d.features();
        int steps = d.steps();
        int out = d.out();
        int h = d.perDirection();
        double[] y;
        if (c.isReturnSequences()) {
            y = new double[bs * out * steps];
            for (int b = 0; b < bs; b++) {
                for (int t = 0; t < steps; t++) {
                    boolean held = carry() && !d.real(b, t);
                    for (int j = 0; j < out; j++) {
                        int o = (b * out + j) * steps + t;
                        if (held) {
                            y[o] = t == 0 ? 0.0 : y[o - 1];
                        } else if (c.getDirections() == 1 || c.getMerge() == Merge.CONCAT) {
                            y[o] = x[(b * f + j) * steps + t];
                        } else {
                            y[o] = merge(c.getMerge(), x[(b * f + j) * steps + t], x[(b * f + h + j) * steps + t]);
                        }
                    }
                }
            }
            return mgr.leverageTo(ArrayType.ACTIVATIONS, device(y, bs, out, steps));
        }
        y = new double[bs * out];
        for (int b = 0; b < bs; b++) {
            int last = d.lastReal(b, false);
            int first = d.lastReal(b, true);
            if (last < 0) {
                continue;   // no real step: Keras' output is its initial zeros
            }
            for (int j = 0; j < h; j++) {
                double fw = x[(b * f + j) * steps + last];
                if (c.getDirections() == 1) {
                    y[b * out + j] = fw;
                    continue;
                }
                double bw = x[(b * f + h + j) * steps + first];
                if (c.getMerge() == Merge.CONCAT) {
                    y[b * out + j] = fw;
                    y[b * out + h + j] = bw;
                } else {
                    y[b * out + j] = merge(c.getMerge(), fw, bw);
                }
            }
        }
        return mgr.leverageTo(ArrayType.ACTIVATIONS, device(y, bs, out));
    }

    private static double merge(Merge m, double a, double b) {
        return switch (m) {
            case SUM -> a + b;
            case MUL -> a * b;
            case AVERAGE -> (a + b) / 2.0;
            case CONCAT -> throw new IllegalStateException("concat is no element-wise merge");
        };
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        Dims d = dims(input);
        double[] x = host(input);
        Settings c = settings();
        int bs = d.batch();
        int f = d.features();
        int steps = d.steps();
        int out = d.out();
        int h = d.perDirection();
        double[] dx = new double[bs * f * steps];
        if (c.isReturnSequences()) {
            double[] g = host(epsilon);
            if (carry()) {   // a held step's output is the previous one's: its gradient goes there
                for (int b = 0; b < bs; b++) {
                    for (int j = 0; j < out; j++) {
                        double acc = 0.0;
                        for (int t = steps - 1; t >= 0; t--) {
                            int o = (b * out + j) * steps + t;
                            double gt = g[o] + acc;
                            if (d.real(b, t)) {
                                dx[o] = gt;
                                acc = 0.0;
                            } else {
                                acc = gt;
                            }
                        }
                    }
                }
            } else {
                for (int b = 0; b < bs; b++) {
                    for (int j = 0; j < out; j++) {
                        for (int t = 0; t < steps; t++) {
                            int o = (b * out + j) * steps + t;
                            if (c.getDirections() == 1 || c.getMerge() == Merge.CONCAT) {
                                dx[(b * f + j) * steps + t] += g[o];
                            } else {
                                scatter(c, dx, x, g[o], (b * f + j) * steps + t, (b * f + h + j) * steps + t, true);
                            }
                        }
                    }
                }
            }
        } else {
            double[] g = epsilon.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            for (int b = 0; b < bs; b++) {
                int last = d.lastReal(b, false);
                int first = d.lastReal(b, true);
                if (last < 0) {
                    continue;
                }
                for (int j = 0; j < out; j++) {
                    boolean forward = c.getDirections() == 1 || c.getMerge() != Merge.CONCAT || j < h;
                    int jj = c.getDirections() == 2 && c.getMerge() == Merge.CONCAT && j >= h ? j - h : j;
                    int fi = (b * f + jj) * steps + last;
                    int bi = (b * f + h + jj) * steps + first;
                    scatter(c, dx, x, g[b * out + j], fi, bi, forward);
                }
            }
        }
        INDArray eps = device(dx, bs, f, steps);
        return new Pair<>(new DefaultGradient(), mgr.leverageTo(ArrayType.ACTIVATION_GRAD, eps));
    }

    /**
     * Adds the gradient {@code g} of one output value to its sources: the forward direction's value at {@code fi} and
     * (two directions merged) the backward one's at {@code bi}; for concat or one direction, {@code forward} says
     * which single source it is.
     */
    private static void scatter(Settings c, double[] dx, double[] x, double g, int fi, int bi,
                                boolean forward) {
        if (c.getDirections() == 1) {
            dx[fi] += g;
            return;
        }
        switch (c.getMerge()) {
            case CONCAT -> {
                if (forward) {
                    dx[fi] += g;
                } else {
                    dx[bi] += g;
                }
            }
            case SUM -> {
                dx[fi] += g;
                dx[bi] += g;
            }
            case AVERAGE -> {
                dx[fi] += g / 2.0;
                dx[bi] += g / 2.0;
            }
            case MUL -> {
                dx[fi] += g * x[bi];
                dx[bi] += g * x[fi];
            }
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray mask, MaskState state, int minibatch) {
        this.maskArray = mask;
        this.maskState = state;
        if (!settings().isReturnSequences()) {
            return new Pair<>(null, null);
        }
        if (mask != null && settings().isRestoreMask()) {
            return new Pair<>(SequenceArrays.reverseTime(mask, 1), state);
        }
        return new Pair<>(mask, state);
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }
}
