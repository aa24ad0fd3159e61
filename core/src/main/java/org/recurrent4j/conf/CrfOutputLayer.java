package org.recurrent4j.conf;

import java.util.Arrays;
import java.util.Collection;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.layers.CrfLayer;

/**
 * A linear-chain conditional random field as the output layer of a sequence network (Lafferty et al. 2001; the
 * output layer of Lample et al. 2016 and Ma &amp; Hovy 2016), for {@code MultiLayerNetwork} and
 * {@code ComputationGraph}.
 *
 * <p>Input {@code [batch, nIn, time]} (NCW; NWC {@code [batch, time, nIn]} with {@code dataFormat}), labels one-hot
 * {@code [batch, K, time]} with K = {@code nOut} (in the same layout), masks {@code [batch, time]}, right-padded. Emissions {@code e_t = x_t W + b}; the score of a tag path y over a sequence's
 * unmasked steps is {@code sum_t e_t[y_t] + start[y_0] + sum_{t>0} T[y_{t-1}, y_t] + end[y_last]}. The network's
 * score is the minibatch mean of the negative log-likelihood {@code log sum_y' exp score(y') - score(y)}, the
 * log-partition computed by the forward algorithm in log space, in double precision whatever the network's type.
 * {@code output()} returns the Viterbi path one-hot {@code [batch, K, time]}, zero at masked steps.
 *
 * <p>Decoding constraints ({@link Builder#allowedTransitions}) forbid transitions, first tags or last tags at
 * decoding only, as AllenNLP's CRF does; training sees all paths, so a model trained with them decodes the same
 * without them where it has learnt the rules.
 *
 * <pre>{@code
 * .layer(new CrfOutputLayer.Builder().nIn(256).nOut(9).build())
 * }</pre>
 */
public class CrfOutputLayer extends FeedForwardLayer implements CrfLayer.Spec {

    /** {@code allowed[i * K + j]}: may tag j follow tag i at decoding; null allows all. */
    protected boolean[] allowedTransitions;
    /** May a path start with tag j; null allows all. */
    protected boolean[] allowedStart;
    /** May a path end with tag j; null allows all. */
    protected boolean[] allowedEnd;
    /** NCW ({@code [batch, features, time]}, the default) or NWC; taken from the input type where not set. */
    protected RNNFormat dataFormat;

    protected CrfOutputLayer() {
    }

    protected CrfOutputLayer(Builder builder) {
        super(builder);
        this.allowedTransitions = builder.allowedTransitions;
        this.allowedStart = builder.allowedStart;
        this.allowedEnd = builder.allowedEnd;
        this.dataFormat = builder.dataFormat;
        InheritedOptions.requireActivation("CrfOutputLayer", builder.getActivationFn(), ActivationIdentity.class,
                "its emission scores x W + b are linear, and the CRF normalises over whole tag sequences", null);
        InheritedOptions.refuseGain("CrfOutputLayer", builder.getGainInit());
        initializeConstraints(builder);
        if (allowedTransitions != null && nOut > 0) {
            if (allowedTransitions.length != nOut * nOut || allowedStart.length != nOut || allowedEnd.length != nOut) {
                throw new IllegalArgumentException("CrfOutputLayer: allowed transitions must be " + nOut + "x" + nOut
                        + " and allowed start/end " + nOut + " long for nOut " + nOut + ", got "
                        + allowedTransitions.length + ", " + allowedStart.length + ", " + allowedEnd.length);
            }
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                      Collection<TrainingListener> trainingListeners, int layerIndex,
                                                      INDArray layerParamsView, boolean initializeParams,
                                                      DataType networkDataType) {
        return Instantiation.wire(new CrfLayer(conf, networkDataType), conf, initializer(), trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return CrfParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType == null || inputType.getType() != InputType.Type.RNN) {
            throw new IllegalStateException("CrfOutputLayer '" + getLayerName() + "' takes recurrent input "
                    + "[batch, nIn, time], got " + inputType);
        }
        return InputType.recurrent(nOut, ((InputType.InputTypeRecurrent) inputType).getTimeSeriesLength(),
                getDataFormat());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (inputType == null || inputType.getType() != InputType.Type.RNN) {
            throw new IllegalStateException("CrfOutputLayer '" + getLayerName() + "' takes recurrent input "
                    + "[batch, nIn, time], got " + inputType);
        }
        InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) inputType;
        if (nIn <= 0 || override) {
            nIn = r.getSize();
        }
        if (dataFormat == null) {
            dataFormat = r.getFormat();
        }
    }

    /** None: the layer takes the sequence as it is. */
    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType.InputTypeRecurrent itr = (InputType.InputTypeRecurrent) inputType;
        long steps = Math.max(1, itr.getTimeSeriesLength());
        long numParams = initializer().numParams(this);
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams);
        return new LayerMemoryReport.Builder(getLayerName(), getClass(), inputType, getOutputType(-1, inputType))
                .standardMemory(numParams, updaterState)
                .workingMemory(0, steps * nOut * 3, MemoryReport.CACHE_MODE_ALL_ZEROS,
                        MemoryReport.cacheModeMapFor(steps * (nOut * 4 + nIn)))
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** The layout of input, labels and output: NCW unless set or given by the input type. */
    public RNNFormat getDataFormat() {
        return dataFormat == null ? RNNFormat.NCW : dataFormat;
    }

    public void setDataFormat(RNNFormat dataFormat) {
        this.dataFormat = dataFormat;
    }

    public boolean[] getAllowedTransitions() {
        return allowedTransitions;
    }

    public void setAllowedTransitions(boolean[] allowedTransitions) {
        this.allowedTransitions = allowedTransitions;
    }

    public boolean[] getAllowedStart() {
        return allowedStart;
    }

    public void setAllowedStart(boolean[] allowedStart) {
        this.allowedStart = allowedStart;
    }

    public boolean[] getAllowedEnd() {
        return allowedEnd;
    }

    public void setAllowedEnd(boolean[] allowedEnd) {
        this.allowedEnd = allowedEnd;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof CrfOutputLayer c && Arrays.equals(c.allowedTransitions,
                allowedTransitions) && Arrays.equals(c.allowedStart, allowedStart)
                && Arrays.equals(c.allowedEnd, allowedEnd) && c.getDataFormat() == getDataFormat();
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Arrays.hashCode(allowedTransitions);
    }

    /** DL4J-style builder: {@code nIn}, {@code nOut} (the number of tags K), {@code weightInit}, updaters. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        protected boolean[] allowedTransitions;
        protected boolean[] allowedStart;
        protected boolean[] allowedEnd;
        protected RNNFormat dataFormat;

        /** NCW ({@code [batch, features, time]}) or NWC for input, labels and output; default: the input type's. */
        public Builder dataFormat(RNNFormat format) {
            this.dataFormat = format;
            return this;
        }

        /**
         * Decoding constraints: {@code transitions[i][j]} says whether tag j may follow tag i, {@code start[j]}
         * whether a sequence may begin with j, {@code end[j]} whether it may end with j. For BIO and BIOES tag sets
         * {@code TagScheme.constraints} builds them.
         */
        public Builder allowedTransitions(boolean[][] transitions, boolean[] start, boolean[] end) {
            int k = transitions.length;
            if (start.length != k || end.length != k) {
                throw new IllegalArgumentException("allowed start and end need " + k + " entries, got "
                        + start.length + " and " + end.length);
            }
            boolean[] flat = new boolean[k * k];
            for (int i = 0; i < k; i++) {
                if (transitions[i].length != k) {
                    throw new IllegalArgumentException("allowed transitions must be " + k + "x" + k + ", row " + i
                            + " has " + transitions[i].length);
                }
                System.arraycopy(transitions[i], 0, flat, i * k, k);
            }
            boolean anyStart = false;
            boolean anyEnd = false;
            boolean anyTransition = false;
            for (int j = 0; j < k; j++) {
                anyStart |= start[j];
                anyEnd |= end[j];
            }
            for (boolean b : flat) {
                anyTransition |= b;
            }
            if (!anyStart || !anyEnd || (k > 0 && !anyTransition)) {
                throw new IllegalArgumentException("allowed transitions forbid every "
                        + (!anyStart ? "first tag" : !anyEnd ? "last tag" : "transition")
                        + ": no tag sequence could be decoded");
            }
            this.allowedTransitions = flat;
            this.allowedStart = start.clone();
            this.allowedEnd = end.clone();
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public CrfOutputLayer build() {
            return new CrfOutputLayer(this);
        }
    }
}
