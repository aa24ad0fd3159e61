package org.recurrent4j.conf;

import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.recurrent4j.cells.Cell;
import org.recurrent4j.cells.ElmanCell;

/**
 * Elman RNN layer: {@code h_t = f(x_t W + b + h_{t-1} RW)}, f one of tanh (default), relu or identity.
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
        return new ElmanCell(kernelActivation(activationFn));
    }

    /** The fused kernel's name for a DL4J activation; null (not yet set by the network) means tanh. */
    static ElmanCell.Activation kernelActivation(IActivation a) {
        if (a == null || a instanceof ActivationTanH) {
            return ElmanCell.Activation.TANH;
        }
        if (a instanceof ActivationReLU r && r.getMax() == null && isZeroOrNull(r.getThreshold())
                && isZeroOrNull(r.getNegativeSlope())) {
            return ElmanCell.Activation.RELU;
        }
        if (a instanceof ActivationIdentity) {
            return ElmanCell.Activation.IDENTITY;
        }
        throw new IllegalArgumentException("ElmanRnn: activation(" + a + ") is not supported: the cell applies tanh, "
                + "relu or identity (PyTorch's nn.RNN: tanh or relu). Change the activation(...) call.");
    }

    private static boolean isZeroOrNull(Double d) {
        return d == null || d == 0.0;
    }

    public static class Builder extends RecurrentLayerConf.Builder<Builder> {

        public Builder() {
            this.activationFn = new ActivationTanH();
        }

        @Override
        @SuppressWarnings("unchecked")
        public ElmanRnn build() {
            kernelActivation(activationFn);
            return new ElmanRnn(this);
        }
    }
}
