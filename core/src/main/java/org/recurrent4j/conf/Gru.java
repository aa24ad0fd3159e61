package org.recurrent4j.conf;

import org.recurrent4j.cells.Cell;
import org.recurrent4j.cells.GruCell;

/**
 * GRU layer, gate order r|z|n. By default reset-after, as in PyTorch, cuDNN and Keras:
 * {@code n = tanh(x W_n + b + r*(h RW_n + RB))}; {@code resetAfter(false)} selects the original formulation
 * {@code n = tanh(x W_n + b + (r*h) RW_n + RB)}. {@code activation(f)} replaces tanh and {@code gateActivation(f)} the
 * gates' sigmoid, as Keras' {@code activation} and {@code recurrent_activation}.
 *
 * <pre>{@code
 * new Gru.Builder().nIn(100).nOut(128).build()
 * }</pre>
 */
public class Gru extends RecurrentLayerConf {

    protected boolean resetAfter = true;

    protected Gru() {
    }

    protected Gru(Builder builder) {
        super(builder);
        this.resetAfter = builder.resetAfter;
    }

    @Override
    public Cell cell() {
        return new GruCell(resetAfter, cellActivation(), gateActivation());
    }

    public boolean isResetAfter() {
        return resetAfter;
    }

    public void setResetAfter(boolean resetAfter) {
        this.resetAfter = resetAfter;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof Gru g && g.resetAfter == resetAfter;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(resetAfter);
    }

    public static class Builder extends RecurrentLayerConf.Builder<Builder> {
        protected boolean resetAfter = true;

        /** Reset gate applied after the recurrent product (default, PyTorch) or before it (original GRU). */
        public Builder resetAfter(boolean resetAfter) {
            this.resetAfter = resetAfter;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Gru build() {
            return new Gru(this);
        }
    }
}
