package org.recurrent4j.interop;

import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.activations.Activation;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.Lstm;
import org.recurrent4j.conf.RecurrentLayerConf;

/** The PyTorch module a state_dict came from, named as PyTorch's RNN base class names its modes. */
public enum TorchMode {
    RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

    private final int gates;

    TorchMode(int gates) {
        this.gates = gates;
    }

    public int gates() {
        return gates;
    }

    /** Parses a mode name, any case; the error lists the accepted names. */
    public static TorchMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + s + "': use one of " + Arrays.toString(values()));
        }
    }

    /**
     * The recurrent4j layer configuration equivalent to one layer, one direction of this module.
     *
     * @param projection the LSTM's {@code proj_size}, 0 for none
     */
    RecurrentLayerConf layer(long nIn, long hidden, boolean bias, int projection) {
        RecurrentLayerConf.Builder<?> b = switch (this) {
            case RNN_TANH -> new ElmanRnn.Builder().activation(Activation.TANH);
            case RNN_RELU -> new ElmanRnn.Builder().activation(Activation.RELU);
            case LSTM -> new Lstm.Builder().projectionSize(projection);
            case GRU -> new Gru.Builder().resetAfter(true);
        };
        return b.nIn(nIn).nOut(hidden).hasBias(bias).dataFormat(RNNFormat.NCW).build();
    }
}
