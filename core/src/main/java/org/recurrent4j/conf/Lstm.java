package org.recurrent4j.conf;

import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.recurrent4j.kernels.LstmKernel;
import org.recurrent4j.kernels.RecurrentKernel;

/**
 * LSTM layer with PyTorch's equations and gate order i|f|g|o; the forget gate's bias starts at 1.0.
 *
 * <pre>{@code
 * new Lstm.Builder().nIn(100).nOut(128).build()
 * }</pre>
 */
public class Lstm extends RecurrentLayerConf {

    protected double forgetGateBiasInit = 1.0;

    protected Lstm() {
    }

    protected Lstm(Builder builder) {
        super(builder);
        InheritedOptions.requireActivation("Lstm", builder.getActivationFn(), ActivationTanH.class,
                "the cell applies tanh to its candidate and its state and sigmoid to its gates, as PyTorch's "
                        + "nn.LSTM does", "an ElmanRnn takes tanh, relu or identity");
        this.forgetGateBiasInit = builder.forgetGateBiasInit;
    }

    @Override
    public int gates() {
        return 4;
    }

    @Override
    public RecurrentKernel kernel() {
        return new LstmKernel();
    }

    @Override
    public double biasInit(int gate) {
        return gate == 1 ? forgetGateBiasInit : super.biasInit(gate);
    }

    public double getForgetGateBiasInit() {
        return forgetGateBiasInit;
    }

    public void setForgetGateBiasInit(double forgetGateBiasInit) {
        this.forgetGateBiasInit = forgetGateBiasInit;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof Lstm l && l.forgetGateBiasInit == forgetGateBiasInit;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Double.hashCode(forgetGateBiasInit);
    }

    public static class Builder extends RecurrentLayerConf.Builder<Builder> {
        protected double forgetGateBiasInit = 1.0;

        /** Initial bias of the forget gate (default 1.0). */
        public Builder forgetGateBiasInit(double value) {
            this.forgetGateBiasInit = value;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Lstm build() {
            return new Lstm(this);
        }
    }
}
