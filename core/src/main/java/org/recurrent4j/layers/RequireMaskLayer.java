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

/** The runtime of {@code org.recurrent4j.conf.RequireMask}. */
public class RequireMaskLayer extends NoParamSequenceLayer<RequireMaskLayer.Settings> {

    /** What this layer reads of its configuration. */
    public interface Settings {
        /** The input is token ids {@code [batch, time]} (0 is padding), else features equal to the mask value. */
        boolean isTokenIds();

        /** Keras' {@code Masking(mask_value)}: a step whose features all equal it is padding. */
        double getMaskValue();

        RNNFormat getDataFormat();
    }

    public RequireMaskLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, Settings.class);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        if (maskArray == null) {
            long[] padded = firstPadded(input, settings());
            if (padded != null) {
                Settings c = settings();
                throw new IllegalArgumentException("layer " + layerId() + ": example " + padded[0] + ", step "
                        + padded[1] + " is padding (" + (c.isTokenIds() ? "token id 0, and the Keras model's Embedding "
                        + "has mask_zero=True" : "all its features equal " + c.getMaskValue() + ", the Keras model's "
                        + "Masking value") + "), but no features mask was passed, so the layers would read it as "
                        + "data. Pass the mask [batch, time] (1 real, 0 padding) with the input: "
                        + "net.output(input, false, KerasImporter.paddingMask(net, input), null)");
            }
        }
        return mgr.leverageTo(ArrayType.ACTIVATIONS, input.dup(input.ordering()));
    }

    /**
     * The mask Keras derives from {@code input}: {@code [batch, time]}, 1 for a real step, 0 for padding; in the
     * network's data type.
     */
    public static INDArray paddingMask(INDArray input, Settings c) {
        if (input == null) {
            throw new IllegalArgumentException("no input: pass the token ids [batch, time] the network takes");
        }
        if (c.isTokenIds()) {
            if (input.rank() == 3 && input.size(1) != 1) {
                throw new IllegalArgumentException("token ids must be [batch, time], got shape "
                        + java.util.Arrays.toString(input.shape()) + ": the model starts with an Embedding, which "
                        + "takes token ids, not features");
            }
            INDArray ids = input.rank() == 3 ? input.reshape(input.size(0), input.size(2)) : input;
            if (ids.rank() != 2) {
                throw new IllegalArgumentException("token ids must be [batch, time], got shape "
                        + java.util.Arrays.toString(input.shape()));
            }
            return ids.neq(0.0).castTo(input.dataType());
        }
        SequenceArrays.requireRank3(input, c.getDataFormat(), "the input", "of a Keras Masking model");
        int featureAxis = c.getDataFormat() == RNNFormat.NWC ? 2 : 1;
        // a step is real where any feature differs from the mask value
        return input.neq(c.getMaskValue()).castTo(input.dataType()).max(featureAxis).castTo(input.dataType());
    }

    /** {example, step} of the first padded step, or null. */
    private static long[] firstPadded(INDArray input, Settings c) {
        INDArray m = paddingMask(input, c);
        double[] v = m.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        long steps = m.size(1);
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0.0) {
                return new long[]{i / steps, i % steps};
            }
        }
        return null;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        // after an Embedding (token ids) no gradient comes back: there is none to pass on
        return new Pair<>(new DefaultGradient(), epsilon == null ? null
                : mgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilon));
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray mask, MaskState state, int minibatch) {
        this.maskArray = mask;
        this.maskState = state;
        return new Pair<>(mask, state);
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }
}
