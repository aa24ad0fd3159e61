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
import org.recurrent4j.cells.Cell;
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

    protected RecurrentLayerConf() {
    }

    protected RecurrentLayerConf(Builder<?> builder) {
        super(builder);
        this.hasBias = builder.hasBias;
        this.bidirectional = builder.bidirectional;
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
                && r.bidirectional == bidirectional;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + Boolean.hashCode(hasBias)) + Boolean.hashCode(bidirectional);
    }

    /** DL4J-style builder with {@code hasBias} and {@code bidirectional}. */
    public abstract static class Builder<T extends Builder<T>> extends BaseRecurrentLayer.Builder<T> {
        protected boolean hasBias = true;
        protected boolean bidirectional;

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
