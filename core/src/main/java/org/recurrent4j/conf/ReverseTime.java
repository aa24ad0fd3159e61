package org.recurrent4j.conf;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.recurrent4j.layers.ReverseTimeLayer;

/**
 * Reverses a sequence along its whole time axis, padded steps included: the activations {@code [batch, features,
 * time]} (NCW, or {@code [batch, time, features]} with NWC) and the features mask {@code [batch, time]}, each where
 * asked. This is Keras' {@code go_backwards}: the layer after it reads the steps last to first, and its output stays
 * in that order; Keras hands the mask on unreversed, which a second {@code ReverseTime} of the mask alone restores.
 * No parameters; the gradient is reversed the same way.
 */
public class ReverseTime extends NoParamConf implements ReverseTimeLayer.Settings {

    protected boolean features = true;
    protected boolean mask = true;
    protected RNNFormat dataFormat = RNNFormat.NCW;

    protected ReverseTime() {
    }

    /**
     * @param features   reverse the activations (false: pass them through)
     * @param mask       reverse the features mask
     * @param dataFormat NCW {@code [batch, features, time]} or NWC {@code [batch, time, features]}
     */
    public ReverseTime(boolean features, boolean mask, RNNFormat dataFormat) {
        this.features = features;
        this.mask = mask;
        this.dataFormat = java.util.Objects.requireNonNull(dataFormat, "dataFormat");
    }

    public boolean isFeatures() {
        return features;
    }

    public boolean isMask() {
        return mask;
    }

    public RNNFormat getDataFormat() {
        return dataFormat;
    }

    @Override
    org.deeplearning4j.nn.api.Layer newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new ReverseTimeLayer(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeRecurrent)) {
            throw new IllegalArgumentException("ReverseTime" + (layerName == null ? "" : " '" + layerName + "'")
                    + ": needs a sequence [batch, features, time], got " + inputType);
        }
        return inputType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReverseTime r && r.features == features && r.mask == mask && r.dataFormat == dataFormat
                && java.util.Objects.equals(r.layerName, layerName);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(features, mask, dataFormat, layerName);
    }

    @Override
    public String toString() {
        return "ReverseTime(features=" + features + ", mask=" + mask + ", " + dataFormat + ")";
    }
}
