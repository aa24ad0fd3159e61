package org.recurrent4j.conf;

import java.util.Collection;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.layers.recurrent.TimeDistributedLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link TimeDistributed} as Keras' {@code TimeDistributed} and {@code Dense} on a sequence compute it: every
 * step, masked or not, goes through the wrapped layer, and the mask is handed on unchanged to the layers after. DL4J's
 * own multiplies the output by the mask (and, for NWC, by a mask laid out for NCW), where Keras returns the layer's
 * output at padded steps too.
 */
public class KerasTimeDistributed extends TimeDistributed {

    protected KerasTimeDistributed() {
        super(null);
    }

    /**
     * @param underlying the layer applied at each step
     * @param format     NCW or NWC, input and output alike
     */
    public KerasTimeDistributed(Layer underlying, RNNFormat format) {
        super(underlying, format);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                      Collection<TrainingListener> listeners, int index,
                                                      INDArray paramsView, boolean initializeParams,
                                                      DataType networkDataType) {
        TimeDistributedLayer dl4j = (TimeDistributedLayer) super.instantiate(conf, listeners, index, paramsView,
                initializeParams, networkDataType);
        return new Unmasked(dl4j.getUnderlying(), getRnnDataFormat());
    }

    /** The runtime: DL4J's, with the mask kept from the wrapped layer. */
    static final class Unmasked extends TimeDistributedLayer {

        Unmasked(org.deeplearning4j.nn.api.Layer underlying, RNNFormat format) {
            super(underlying, format);
        }

        @Override
        public void setMaskArray(INDArray maskArray) {
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray mask, MaskState state, int minibatch) {
            return new Pair<>(mask, state);
        }
    }
}
