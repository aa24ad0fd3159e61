package org.recurrent4j.conf;

import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.recurrent4j.kernels.ElmanKernel;
import org.recurrent4j.kernels.RecurrentKernel;

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
    public int gates() {
        return 1;
    }

    @Override
    public RecurrentKernel kernel() {
        return new ElmanKernel(kernelActivation(activationFn));
    }

    /** The fused kernel's name for a DL4J activation; null (not yet set by the network) means tanh. */
    static ElmanKernel.Activation kernelActivation(IActivation a) {
        if (a == null || a instanceof ActivationTanH) {
            return ElmanKernel.Activation.TANH;
        }
        if (a instanceof ActivationReLU r && r.getMax() == null && isZeroOrNull(r.getThreshold())
                && isZeroOrNull(r.getNegativeSlope())) {
            return ElmanKernel.Activation.RELU;
        }
        if (a instanceof ActivationIdentity) {
            return ElmanKernel.Activation.IDENTITY;
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
