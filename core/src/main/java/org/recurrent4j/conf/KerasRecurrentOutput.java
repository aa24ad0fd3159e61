package org.recurrent4j.conf;

import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.recurrent4j.layers.KerasRecurrentOutputLayer;
import org.recurrent4j.layers.KerasRecurrentOutputLayer.Merge;

/**
 * Makes of a recurrent4j layer's output what a Keras {@code RNN} or {@code Bidirectional} layer returns, where the two
 * differ (recurrent4j's padded steps output 0; a bidirectional layer's features are [forward, backward]). Input
 * {@code [batch, D*H, time]} (NCW; NWC {@code [batch, time, D*H]}) with D directions; the features mask as DL4J
 * hands it on. Keras' rules (its {@code keras.src.backend.*.rnn} and {@code layers/rnn/bidirectional.py}):
 * <ul>
 *   <li>{@code return_sequences}: one direction and {@code zero_output_for_mask} false (an RNN layer's default): a
 *       masked step outputs the previous step's output (zeros before the first real step); two directions (Keras
 *       forces {@code zero_output_for_mask}): 0;</li>
 *   <li>not: the output of the last step read, {@code [batch, D*H]}: for the forward direction the last real step,
 *       for the backward one the first (which it reads last); zeros where a sequence has no real step;</li>
 *   <li>{@code merge_mode} of two directions: concat {@code [f, b]}, sum {@code f + b}, mul {@code f * b}, ave
 *       {@code (f + b) / 2}.</li>
 * </ul>
 * With {@code restoreMask} the mask handed on is the incoming one reversed in time (after {@code go_backwards}, whose
 * outputs stay reversed while Keras hands the original mask on). No parameters.
 */
public class KerasRecurrentOutput extends NoParamConf implements KerasRecurrentOutputLayer.Settings {

    protected int directions = 1;
    protected Merge merge = Merge.CONCAT;
    protected boolean returnSequences = true;
    protected boolean zeroOutputForMask;
    protected boolean restoreMask;
    protected RNNFormat dataFormat = RNNFormat.NCW;

    protected KerasRecurrentOutput() {
    }

    /**
     * @param directions        1, or 2 for a bidirectional layer's output [forward, backward]
     * @param merge             how two directions combine (ignored for one)
     * @param returnSequences   Keras' {@code return_sequences}
     * @param zeroOutputForMask Keras' {@code zero_output_for_mask} of a one-direction layer
     * @param restoreMask       hand on the incoming mask reversed in time (after {@code go_backwards})
     * @param dataFormat        NCW or NWC, input and output alike
     * @throws IllegalArgumentException for directions other than 1 and 2
     */
    public KerasRecurrentOutput(int directions, Merge merge, boolean returnSequences, boolean zeroOutputForMask,
                                boolean restoreMask, RNNFormat dataFormat) {
        if (directions != 1 && directions != 2) {
            throw new IllegalArgumentException("KerasRecurrentOutput: directions must be 1 or 2, got " + directions);
        }
        this.directions = directions;
        this.merge = Objects.requireNonNull(merge, "merge");
        this.returnSequences = returnSequences;
        this.zeroOutputForMask = zeroOutputForMask;
        this.restoreMask = restoreMask;
        this.dataFormat = Objects.requireNonNull(dataFormat, "dataFormat");
    }

    public int getDirections() {
        return directions;
    }

    public Merge getMerge() {
        return merge;
    }

    public boolean isReturnSequences() {
        return returnSequences;
    }

    public boolean isZeroOutputForMask() {
        return zeroOutputForMask;
    }

    public boolean isRestoreMask() {
        return restoreMask;
    }

    public RNNFormat getDataFormat() {
        return dataFormat;
    }

    @Override
    org.deeplearning4j.nn.api.Layer newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new KerasRecurrentOutputLayer(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeRecurrent r)) {
            throw new IllegalArgumentException("KerasRecurrentOutput" + (layerName == null ? "" : " '" + layerName
                    + "'") + ": needs a recurrent layer's output [batch, features, time], got " + inputType);
        }
        if (directions == 2 && r.getSize() % 2 != 0) {
            throw new IllegalArgumentException("KerasRecurrentOutput: two directions need an even number of features, "
                    + "got " + r.getSize());
        }
        long out = outputSize(r.getSize());
        return returnSequences ? InputType.recurrent(out, r.getTimeSeriesLength(), dataFormat)
                : InputType.feedForward(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasRecurrentOutput k && k.directions == directions && k.merge == merge
                && k.returnSequences == returnSequences && k.zeroOutputForMask == zeroOutputForMask
                && k.restoreMask == restoreMask && k.dataFormat == dataFormat && Objects.equals(k.layerName, layerName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(directions, merge, returnSequences, zeroOutputForMask, restoreMask, dataFormat, layerName);
    }

    @Override
    public String toString() {
        return "KerasRecurrentOutput(directions=" + directions + ", merge=" + merge + ", returnSequences="
                + returnSequences + ", zeroOutputForMask=" + zeroOutputForMask + ", restoreMask=" + restoreMask + ", "
                + dataFormat + ")";
    }
}
