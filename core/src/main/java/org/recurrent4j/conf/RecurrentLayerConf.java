package org.recurrent4j.conf;

import java.util.Collection;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.activations.IActivation;
import org.recurrent4j.cells.Cell;
import org.recurrent4j.cells.Nonlinearity;
import org.recurrent4j.layers.FusedRecurrentLayer;
import org.recurrent4j.layers.RecurrentLayerSpec;

/**
 * What the three recurrent layer configurations share: parameters {@code W [nIn, G*nOut]}, {@code RW [nOut, G*nOut]},
 * bias {@code b [1, G*nOut]} (and for the GRU {@code RB [1, nOut]}), one runtime layer, one kernel per cell type.
 * Subclasses name the gate count and the kernel, as PyTorch's RNN subclasses do.
 */
public abstract class RecurrentLayerConf extends BaseRecurrentLayer implements RecurrentLayerSpec {

    protected boolean hasBias = true;
    protected boolean bidirectional;
    /** The candidate's and the state's function; null: from DL4J's {@code activation(...)}, else tanh. */
    protected Nonlinearity cellActivation;
    /** The gates' function; null: sigmoid. */
    protected Nonlinearity gateActivation;

    protected RecurrentLayerConf() {
    }

    protected RecurrentLayerConf(Builder<?> builder) {
        super(builder);
        this.hasBias = builder.hasBias;
        this.bidirectional = builder.bidirectional;
        this.cellActivation = builder.cellActivation != null ? builder.cellActivation
                : builder.getActivationFn() == null ? null
                : nonlinearity(getClass().getSimpleName(), builder.getActivationFn());
        this.gateActivation = builder.gateActivation;
        InheritedOptions.refuseGain(getClass().getSimpleName(), builder.getGainInit());
        // DL4J's Layer leaves this to each layer: constrainWeights/Bias/AllParameters over the initializer's keys (the
        // backward direction's included), then the recurrent and input weights of both directions
        initializeConstraints(builder);
        constraints = InheritedOptions.withConstraints(constraints, builder.getRecurrentConstraints(),
                directions(RecurrentParamInitializer.RECURRENT_WEIGHT_KEY));
        constraints = InheritedOptions.withConstraints(constraints, builder.getInputWeightConstraints(),
                directions(RecurrentParamInitializer.WEIGHT_KEY));
    }

    /** {@code key}, and its backward direction's twin for a bidirectional layer. */
    private java.util.Set<String> directions(String key) {
        return bidirectional ? java.util.Set.of(key, RecurrentParamInitializer.key(key, true)) : java.util.Set.of(key);
    }

    /**
     * The cell's function for a DL4J activation: tanh, sigmoid, identity, relu (plain) and hard sigmoid (DL4J's
     * {@code ActivationHardSigmoid} is Keras 2's, {@code 0.2 x + 0.5} clipped).
     *
     * @throws IllegalArgumentException naming the layer and the activation for any other
     */
    static Nonlinearity nonlinearity(String layer, IActivation a) {
        if (a instanceof org.nd4j.linalg.activations.impl.ActivationTanH) {
            return Nonlinearity.TANH;
        }
        if (a instanceof org.nd4j.linalg.activations.impl.ActivationSigmoid) {
            return Nonlinearity.SIGMOID;
        }
        if (a instanceof org.nd4j.linalg.activations.impl.ActivationIdentity) {
            return Nonlinearity.IDENTITY;
        }
        if (a instanceof org.nd4j.linalg.activations.impl.ActivationHardSigmoid) {
            return Nonlinearity.HARD_SIGMOID_KERAS2;
        }
        if (a instanceof org.nd4j.linalg.activations.impl.ActivationReLU r && r.getMax() == null
                && (r.getThreshold() == null || r.getThreshold() == 0.0)
                && (r.getNegativeSlope() == null || r.getNegativeSlope() == 0.0)) {
            return Nonlinearity.RELU;
        }
        throw new IllegalArgumentException(layer + ": activation(" + a + ") is not supported: the cell applies tanh, "
                + "sigmoid, relu, identity or a hard sigmoid (org.recurrent4j.cells.Nonlinearity). Change the "
                + "activation(...) call.");
    }

    /** The function of the candidate and the state (Keras' {@code activation}): tanh unless set. */
    public Nonlinearity cellActivation() {
        return cellActivation != null ? cellActivation : Nonlinearity.TANH;
    }

    /** The function as set, null where none is (the JSON form; {@link #cellActivation()} is what the cell applies). */
    public Nonlinearity getCellActivation() {
        return cellActivation;
    }

    public void setCellActivation(Nonlinearity cellActivation) {
        this.cellActivation = cellActivation;
    }

    /** The function of the gates (Keras' {@code recurrent_activation}): sigmoid unless set. */
    public Nonlinearity gateActivation() {
        return gateActivation != null ? gateActivation : Nonlinearity.SIGMOID;
    }

    /** The function as set, null where none is (the JSON form; {@link #gateActivation()} is what the cell applies). */
    public Nonlinearity getGateActivation() {
        return gateActivation;
    }

    public void setGateActivation(Nonlinearity gateActivation) {
        this.gateActivation = gateActivation;
    }

    /** The cell this layer runs: its gates, states, parameters and arithmetic are declared there. */
    @Override
    public abstract Cell cell();

    /** Gate blocks: Elman 1, GRU 3, LSTM 4 (the cell's). */
    public int gates() {
        return cell().gates();
    }

    /** Initial value of bias block {@code gate} (the LSTM's forget gate starts at 1). */
    public double biasInit(int gate) {
        return Double.isNaN(biasInit) ? 0.0 : biasInit;
    }

    public boolean isHasBias() {
        return hasBias;
    }

    public void setHasBias(boolean hasBias) {
        this.hasBias = hasBias;
    }

    /** True where the layer runs both directions; its output then has {@code 2*nOut} features. */
    @Override
    public boolean isBidirectional() {
        return bidirectional;
    }

    public void setBidirectional(boolean bidirectional) {
        this.bidirectional = bidirectional;
    }

    /**
     * The features of the output: the cell's state size ({@code nOut}, or the projection size of an LSTM with
     * projection), twice that for a bidirectional layer.
     */
    @Override
    public long outputSize() {
        long one = cell().stateSize(nOut);
        return bidirectional ? 2 * one : one;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType t = super.getOutputType(layerIndex, inputType);
        if (outputSize() == nOut) {
            return t;
        }
        InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) t;
        return InputType.recurrent(outputSize(), r.getTimeSeriesLength(), r.getFormat());
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                      Collection<TrainingListener> trainingListeners, int layerIndex,
                                                      INDArray layerParamsView, boolean initializeParams,
                                                      DataType networkDataType) {
        return Instantiation.wire(new FusedRecurrentLayer(conf, networkDataType), conf, initializer(),
                trainingListeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return RecurrentParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType.InputTypeRecurrent itr = (InputType.InputTypeRecurrent) inputType;
        long steps = Math.max(1, itr.getTimeSeriesLength());
        long numParams = initializer().numParams(this);
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams);
        long width = (long) gates() * outputSize();
        // per example: projected gates of every step, states and output (inference keeps the same, training adds
        // gate gradients)
        long inference = steps * (width + 2L * outputSize() + (bidirectional ? nIn : 0));
        long training = inference + steps * (width + nIn);
        return new LayerMemoryReport.Builder(getLayerName(), getClass(), inputType, getOutputType(-1, inputType))
                .standardMemory(numParams, updaterState)
                .workingMemory(0, inference, MemoryReport.CACHE_MODE_ALL_ZEROS,
                        MemoryReport.cacheModeMapFor(training))
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof RecurrentLayerConf r && r.hasBias == hasBias
                && r.bidirectional == bidirectional && r.cellActivation == cellActivation
                && r.gateActivation == gateActivation;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(super.hashCode(), hasBias, bidirectional, cellActivation, gateActivation);
    }

    /** DL4J-style builder with {@code hasBias} and {@code bidirectional}. */
    public abstract static class Builder<T extends Builder<T>> extends BaseRecurrentLayer.Builder<T> {
        protected boolean hasBias = true;
        protected boolean bidirectional;
        protected Nonlinearity cellActivation;
        protected Nonlinearity gateActivation;

        /**
         * The function the cell applies to its candidate and its state (Keras' {@code activation}; default tanh, as
         * PyTorch's cells). The last of this and DL4J's {@code activation(...)} counts.
         */
        @SuppressWarnings("unchecked")
        public T activation(Nonlinearity f) {
            this.cellActivation = java.util.Objects.requireNonNull(f, "activation");
            this.activationFn = null;
            return (T) this;
        }

        /** DL4J's form of {@link #activation(Nonlinearity)}: tanh, sigmoid, identity, relu or hard sigmoid. */
        @Override
        @SuppressWarnings("unchecked")
        public T activation(IActivation f) {
            this.cellActivation = null;
            return super.activation(f);
        }

        /**
         * The function the gates apply (Keras' {@code recurrent_activation}, DL4J's {@code gateActivationFunction};
         * default sigmoid, as PyTorch's cells). An {@code ElmanRnn} has no gates and refuses it.
         */
        @SuppressWarnings("unchecked")
        public T gateActivation(Nonlinearity f) {
            this.gateActivation = java.util.Objects.requireNonNull(f, "gateActivation");
            return (T) this;
        }

        /**
         * Runs the layer in both directions, as PyTorch's {@code bidirectional=True} (default false). The output is
         * {@code [batch, 2*nOut, steps]}: the forward direction's {@code nOut} features, then the backward
         * direction's, which reads each sequence's real steps last to first (masked steps are skipped, so a
         * right-padded batch gives what packed sequences give). The backward direction has parameters of its own,
         * named as the forward ones with {@code Reverse} after them ({@code WReverse}, {@code RWReverse},
         * {@code bReverse}; {@code RBReverse} for the GRU; PyTorch's {@code _reverse}). The same as wrapping the layer in DL4J's
         * {@code Bidirectional(CONCAT, ...)}, without its copies. Such a layer needs whole sequences:
         * {@code rnnTimeStep} and truncated BPTT are refused.
         */
        @SuppressWarnings("unchecked")
        public T bidirectional(boolean bidirectional) {
            this.bidirectional = bidirectional;
            return (T) this;
        }

        /** Whether the layer has bias parameters (default true). */
        @SuppressWarnings("unchecked")
        public T hasBias(boolean hasBias) {
            this.hasBias = hasBias;
            return (T) this;
        }
    }
}
