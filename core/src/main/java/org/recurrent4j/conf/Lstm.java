package org.recurrent4j.conf;

import org.recurrent4j.cells.Cell;
import org.recurrent4j.cells.LstmCell;

/**
 * LSTM layer with PyTorch's equations and gate order i|f|g|o; the forget gate's bias starts at 1.0. With
 * {@code projectionSize(P)}, PyTorch's {@code proj_size}: {@code h_t = (o*tanh(c_t)) W_hr}, output {@code P} features
 * (parameter {@code WHR [nOut, P]}; {@code RW} is then {@code [P, 4*nOut]}). {@code activation(f)} replaces both
 * tanh and {@code gateActivation(f)} the gates' sigmoid, as Keras' {@code activation} and {@code recurrent_activation}.
 *
 * <pre>{@code
 * new Lstm.Builder().nIn(100).nOut(128).build()
 * new Lstm.Builder().nIn(100).nOut(512).projectionSize(128).build()   // output [batch, 128, steps]
 * }</pre>
 */
public class Lstm extends RecurrentLayerConf {

    protected double forgetGateBiasInit = 1.0;
    protected int projectionSize;

    protected Lstm() {
    }

    protected Lstm(Builder builder) {
        super(builder);
        this.forgetGateBiasInit = builder.forgetGateBiasInit;
        checkProjection(builder.projectionSize, builder.getNOut());
        this.projectionSize = builder.projectionSize;
    }

    /** Checked again here: a setter or an edited JSON configuration does not pass through the builder. */
    @Override
    public Cell cell() {
        checkProjection(projectionSize, nOut);
        return new LstmCell(projectionSize, cellActivation(), gateActivation());
    }

    private static void checkProjection(long projection, long nOut) {
        if (projection < 0) {
            throw new IllegalArgumentException("Lstm: projectionSize must be positive (or 0 for none), got "
                    + projection);
        }
        if (projection > 0 && nOut > 0 && projection >= nOut) {
            throw new IllegalArgumentException("Lstm: projectionSize " + projection + " must be smaller than nOut "
                    + nOut + " (PyTorch's proj_size < hidden_size): a projection reduces the state");
        }
    }

    /** The size of the projected state and output, 0 for none. */
    public int getProjectionSize() {
        return projectionSize;
    }

    public void setProjectionSize(int projectionSize) {
        this.projectionSize = projectionSize;
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
        return super.equals(o) && o instanceof Lstm l && l.forgetGateBiasInit == forgetGateBiasInit
                && l.projectionSize == projectionSize;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + Double.hashCode(forgetGateBiasInit)) + projectionSize;
    }

    public static class Builder extends RecurrentLayerConf.Builder<Builder> {
        protected double forgetGateBiasInit = 1.0;
        protected int projectionSize;

        /**
         * Projects the state to {@code size} features, as PyTorch's {@code nn.LSTM(proj_size=size)} (Sak et al.
         * 2014): {@code h_t = (o*tanh(c_t)) W_hr}. The layer's output and its recurrent state then have {@code size}
         * features, the cell state {@code nOut}. Default 0: no projection.
         */
        public Builder projectionSize(int size) {
            this.projectionSize = size;
            return this;
        }

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
