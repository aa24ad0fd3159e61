package org.recurrent4j.conf;

import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.recurrent4j.layers.RequireMaskLayer;

/**
 * Passes its input through unchanged, and refuses a batch that holds padding but came without a features mask: in
 * DL4J a mask reaches the layers only where the caller passes one, so a network imported from a Keras model that
 * derives its mask from its input ({@code Embedding(mask_zero=True)}: token id 0; {@code Masking(mask_value=v)}: a
 * step whose features all equal v) would otherwise read padding as data. Token ids: input {@code [batch, time]} or
 * {@code [batch, 1, time]}; features: {@code [batch, features, time]} (NCW) or {@code [batch, time, features]} (NWC).
 */
public class RequireMask extends NoParamConf implements RequireMaskLayer.Settings {

    protected boolean tokenIds;
    protected double maskValue;
    protected RNNFormat dataFormat = RNNFormat.NCW;

    protected RequireMask() {
    }

    /** Padding is token id 0 ({@code Embedding(mask_zero=True)}); input {@code [batch, time]}. */
    public static RequireMask tokenIdZero() {
        RequireMask r = new RequireMask();
        r.tokenIds = true;
        return r;
    }

    /** Padding is a step whose features all equal {@code value} ({@code Masking(mask_value=value)}). */
    public static RequireMask featuresEqualTo(double value, RNNFormat dataFormat) {
        RequireMask r = new RequireMask();
        r.maskValue = value;
        r.dataFormat = Objects.requireNonNull(dataFormat, "dataFormat");
        return r;
    }

    public boolean isTokenIds() {
        return tokenIds;
    }

    public double getMaskValue() {
        return maskValue;
    }

    public RNNFormat getDataFormat() {
        return dataFormat;
    }

    @Override
    org.deeplearning4j.nn.api.Layer newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new RequireMaskLayer(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequireMask r && r.tokenIds == tokenIds && Double.compare(r.maskValue, maskValue) == 0
                && r.dataFormat == dataFormat && Objects.equals(r.layerName, layerName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tokenIds, maskValue, dataFormat, layerName);
    }

    @Override
    public String toString() {
        return tokenIds ? "RequireMask(token id 0)" : "RequireMask(features = " + maskValue + ", " + dataFormat + ")";
    }
}
