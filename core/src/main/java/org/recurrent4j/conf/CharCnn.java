package org.recurrent4j.conf;

import java.util.Collection;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.layers.CharCnnLayer;

/**
 * Character-level word features by a convolution over each word's characters and a max over its positions, the word
 * representation of Ma &amp; Hovy (2016, sec. 2.1): character embeddings {@code E [nIn, charDim]}, {@code nOut}
 * filters of width {@code width} ({@code W [width*charDim, nOut]}, bias {@code b [1, nOut]}), tanh, max over the
 * word's positions. Positions outside the word read zero vectors ("same" padding).
 *
 * <p>Input {@code [batch, maxWordLength, time]}: the character indices of the word at each step (1..nIn-1), 0 after
 * the word's last character; a step whose first index is 0 is padding and outputs 0. Output {@code [batch, nOut,
 * time]} (NCW). {@code charDropout} drops character embeddings in training (Ma &amp; Hovy: 0.5), as DL4J's input
 * dropout cannot: the input is indices.
 *
 * <pre>{@code
 * .addLayer("chars-cnn", new CharCnn.Builder().nIn(charVocabulary).charDim(30).nOut(30).width(3).build(), "chars")
 * }</pre>
 */
public class CharCnn extends FeedForwardLayer implements CharCnnLayer.Spec {

    protected int charDim = 30;
    protected int width = 3;
    protected double charDropout;

    protected CharCnn() {
    }

    protected CharCnn(Builder b) {
        super(b);
        this.charDim = b.charDim;
        this.width = b.width;
        this.charDropout = b.charDropout;
        InheritedOptions.requireActivation("CharCnn", b.getActivationFn(), ActivationTanH.class,
                "the layer applies tanh to each filter's maximum over the word (Ma and Hovy)", null);
        InheritedOptions.refuseGain("CharCnn", b.getGainInit());
        initializeConstraints(b);
        if (charDim < 1 || width < 1 || width % 2 == 0) {
            throw new IllegalArgumentException("CharCnn: charDim must be >= 1 and width odd and >= 1, got charDim "
                    + charDim + ", width " + width);
        }
        if (!(charDropout >= 0 && charDropout < 1)) {   // NaN too
            throw new IllegalArgumentException("CharCnn: charDropout must be in [0, 1), got " + charDropout);
        }
        refuseInputNoise(iDropout, weightNoise);
    }

    /**
     * DL4J's {@code dropOut} and {@code weightNoise}, set on this layer or inherited from the network's configuration:
     * refused, as the first would corrupt character indices and the second is not applied by this layer.
     */
    private static void refuseInputNoise(Object dropout, Object noise) {
        if (dropout != null) {
            throw new IllegalArgumentException("CharCnn: dropOut (" + dropout + ") would corrupt its input, character "
                    + "indices: use charDropout(p) to drop character embeddings, and set dropOut on the other layers "
                    + "rather than on the whole network");
        }
        if (noise != null) {
            throw new IllegalArgumentException("CharCnn: weightNoise (" + noise + ") is not applied by this layer: "
                    + "remove it, or set it on the other layers rather than on the whole network");
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                      Collection<TrainingListener> trainingListeners, int layerIndex,
                                                      INDArray layerParamsView, boolean initializeParams,
                                                      DataType networkDataType) {
        refuseInputNoise(iDropout, weightNoise);   // what the network's configuration gave this layer
        return Instantiation.wire(new CharCnnLayer(conf, networkDataType), conf, initializer(), trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return CharCnnParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long steps = inputType instanceof InputType.InputTypeRecurrent r ? r.getTimeSeriesLength() : -1;
        return InputType.recurrent(nOut, steps);
    }

    /** nIn is the character vocabulary, never the input's width: it is kept as set. */
    @Override
    public void setNIn(InputType inputType, boolean override) {
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long numParams = initializer().numParams(this);
        return new LayerMemoryReport.Builder(getLayerName(), getClass(), inputType, getOutputType(-1, inputType))
                .standardMemory(numParams, getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams))
                .workingMemory(0, 0, MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    public int getCharDim() {
        return charDim;
    }

    public void setCharDim(int charDim) {
        this.charDim = charDim;
    }

    public int getWidth() {
        return width;
    }

    public void setWidth(int width) {
        this.width = width;
    }

    public double getCharDropout() {
        return charDropout;
    }

    public void setCharDropout(double charDropout) {
        this.charDropout = charDropout;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof CharCnn c && c.charDim == charDim && c.width == width
                && c.charDropout == charDropout;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * super.hashCode() + charDim) + width) + Double.hashCode(charDropout);
    }

    /** {@code nIn}: the character vocabulary size (index 0 pads); {@code nOut}: the number of filters. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        protected int charDim = 30;
        protected int width = 3;
        protected double charDropout;

        /** Size of the character embeddings (default 30, as Ma &amp; Hovy). */
        public Builder charDim(int charDim) {
            this.charDim = charDim;
            return this;
        }

        /** Filter width in characters, odd (default 3). */
        public Builder width(int width) {
            this.width = width;
            return this;
        }

        /** Probability of dropping each character embedding value in training (default 0). */
        public Builder charDropout(double p) {
            this.charDropout = p;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public CharCnn build() {
            return new CharCnn(this);
        }
    }
}
