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

/**
 * The runtime of {@code org.recurrent4j.conf.ReverseTime}: reverses activations, gradients and the mask along the
 * time axis.
 */
public class ReverseTimeLayer extends NoParamSequenceLayer<ReverseTimeLayer.Settings>
        implements org.deeplearning4j.nn.api.layers.RecurrentLayer {

    /** What this layer reads of its configuration. */
    public interface Settings {
        /** Reverse the activations (and their gradient); false passes them through. */
        boolean isFeatures();

        /** Reverse the features mask handed on. */
        boolean isMask();

        RNNFormat getDataFormat();
    }

    public ReverseTimeLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, Settings.class);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        SequenceArrays.requireRank3(input, settings().getDataFormat(), "ReverseTime", layerId());
        INDArray out = settings().isFeatures() ? reversed(input) : input.dup(input.ordering());
        return mgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        INDArray g = settings().isFeatures() ? reversed(epsilon) : epsilon.dup(epsilon.ordering());
        return new Pair<>(new DefaultGradient(), mgr.leverageTo(ArrayType.ACTIVATION_GRAD, g));
    }

    private INDArray reversed(INDArray a) {
        int timeAxis = settings().getDataFormat() == RNNFormat.NWC ? 1 : 2;
        return SequenceArrays.reverseTime(a, timeAxis);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray mask, MaskState state, int minibatch) {
        this.maskArray = mask;
        if (mask == null || !settings().isMask()) {
            return new Pair<>(mask, state);
        }
        return new Pair<>(SequenceArrays.reverseTime(mask, 1), state);
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    // A whole-sequence reversal cannot run step by step: rnnTimeStep and truncated BPTT would reverse each piece on its
    // own and compute something else. DL4J asks recurrent layers for both, so this layer is one, and refuses them.

    private UnsupportedOperationException stepwise(String what, String instead) {
        return new UnsupportedOperationException("layer " + layerId() + " reverses whole sequences (Keras' "
                + "go_backwards): " + what + " would reverse each piece on its own; " + instead);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr mgr) {
        if (settings().isFeatures()) {
            throw stepwise("rnnTimeStep", "call output() on whole sequences");
        }
        setInput(input, mgr);
        return activate(false, mgr);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr mgr) {
        if (settings().isFeatures()) {
            throw stepwise("truncated BPTT", "train with standard backpropagation");
        }
        setInput(input, mgr);
        return activate(training, mgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength, LayerWorkspaceMgr mgr) {
        if (settings().isFeatures()) {
            throw stepwise("truncated BPTT", "train with standard backpropagation");
        }
        return backpropGradient(epsilon, mgr);
    }

    @Override
    public java.util.Map<String, INDArray> rnnGetPreviousState() {
        return java.util.Map.of();
    }

    @Override
    public void rnnSetPreviousState(java.util.Map<String, INDArray> state) {
    }

    @Override
    public void rnnClearPreviousState() {
    }

    @Override
    public java.util.Map<String, INDArray> rnnGetTBPTTState() {
        return java.util.Map.of();
    }

    @Override
    public void rnnSetTBPTTState(java.util.Map<String, INDArray> state) {
    }
}
