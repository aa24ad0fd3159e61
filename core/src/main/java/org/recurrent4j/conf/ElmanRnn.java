package org.recurrent4j.conf;

import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.recurrent4j.cells.Cell;
import org.recurrent4j.cells.ElmanCell;
import org.recurrent4j.cells.Nonlinearity;

/**
 * Elman RNN layer: {@code h_t = f(x_t W + b + h_{t-1} RW)}, f tanh (default), relu or identity as in PyTorch's
 * {@code nn.RNN}, or sigmoid or a hard sigmoid ({@link org.recurrent4j.cells.Nonlinearity}) as Keras' {@code SimpleRNN}
 * allows.
 *
 * <pre>{@code
 * new ElmanRnn.Builder().nIn(100).nOut(128).activation(Activation.RELU).build()
 * }</pre>
 */
public class ElmanRnn extends RecurrentLayerConf {

    protected ElmanRnn() {
    }

    protected ElmanRnn(Builder builder) {
        super(builder);
    }

    @Override
    public Cell cell() {
        return new ElmanCell(kernelActivation());
    }

    /** f: as set, or from DL4J's activation (older configurations); null (not yet set by the network) means tanh. */
    private Nonlinearity kernelActivation() {
        if (gateActivation != null) {
            throw new IllegalArgumentException("ElmanRnn: gateActivation(" + gateActivation + ") is not supported: an "
                    + "Elman RNN has no gates. Remove the gateActivation(...) call.");
        }
        if (cellActivation != null) {
            return cellActivation;
        }
        return activationFn == null ? Nonlinearity.TANH : nonlinearity("ElmanRnn", activationFn);
    }

    public static class Builder extends RecurrentLayerConf.Builder<Builder> {

        public Builder() {
            this.activationFn = new ActivationTanH();
        }

        @Override
        @SuppressWarnings("unchecked")
        public ElmanRnn build() {
            ElmanRnn layer = new ElmanRnn(this);
            layer.kernelActivation();
            return layer;
        }
    }
}
