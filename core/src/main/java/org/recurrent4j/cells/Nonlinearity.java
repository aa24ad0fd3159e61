package org.recurrent4j.cells;

import java.util.Locale;

/**
 * The element-wise functions a cell applies to its candidate, its state and its gates. PyTorch's cells use
 * {@link #TANH} and {@link #SIGMOID} only; Keras lets each layer choose ({@code activation} and
 * {@code recurrent_activation}), which is why the other functions are here. Every one has a derivative that is a
 * function of its output, which is what the cells' backward steps use.
 */
public enum Nonlinearity {
    /** {@code tanh(x)}. */
    TANH("tanh"),
    /** {@code 1 / (1 + exp(-x))}. */
    SIGMOID("sigmoid"),
    /** {@code max(0, x)}. */
    RELU("relu"),
    /** {@code x} (Keras' {@code linear}). */
    IDENTITY("linear"),
    /**
     * {@code min(1, max(0, x/6 + 1/2))}: PyTorch's {@code nn.Hardsigmoid} and Keras 3's {@code hard_sigmoid}
     * ({@code relu6(x + 3) / 6}); derivative {@code 1/6} where the output is strictly between 0 and 1, else 0.
     */
    HARD_SIGMOID("hard_sigmoid (Keras 3)"),
    /**
     * {@code min(1, max(0, 0.2 x + 0.5))}: Keras 2's and tf.keras' {@code hard_sigmoid} (also DL4J's
     * {@code ActivationHardSigmoid}); derivative 0.2 where the output is strictly between 0 and 1, else 0.
     */
    HARD_SIGMOID_KERAS2("hard_sigmoid (Keras 2)");

    private final String label;

    Nonlinearity(String label) {
        this.label = label;
    }

    /** The name in messages and cell names: "tanh", "hard_sigmoid (Keras 2)", ... */
    public String label() {
        return label;
    }

    /** The lower-case constant name, as the cells' {@code kind()} uses it: "tanh", "hard_sigmoid_keras2", ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
