package org.recurrent4j.conf;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.nd4j.linalg.activations.IActivation;

/**
 * The options that this package's layers inherit from DL4J's builders and cannot honour as they stand: refused when a
 * layer is built, with a message naming the option, never ignored.
 */
final class InheritedOptions {

    private InheritedOptions() {
    }

    /**
     * Refuses an {@code activation(...)} set on the layer's builder unless it is of the class {@code fixed}: the
     * layer's arithmetic applies {@code what} and no other.
     */
    static void requireActivation(String layer, IActivation set, Class<? extends IActivation> fixed, String what,
                                  String instead) {
        if (set != null && !fixed.isInstance(set)) {
            throw new IllegalArgumentException(layer + ": activation(" + set + ") is not supported: " + what
                    + (instead == null ? "" : "; " + instead) + ". Remove the activation(...) call.");
        }
    }

    /** Refuses {@code gainInit(...)}: it initialises layer normalisation's gain, which these layers do not have. */
    static void refuseGain(String layer, double gainInit) {
        if (!Double.isNaN(gainInit)) {
            throw new IllegalArgumentException(layer + ": gainInit(" + gainInit + ") initialises a layer "
                    + "normalisation gain, which this layer does not have. Remove the gainInit(...) call.");
        }
    }

    /**
     * {@code constraints} plus a copy of each of {@code extra} restricted to the parameters {@code keys}: how DL4J's
     * own LSTM applies {@code constrainRecurrent} and {@code constrainInputWeights}.
     */
    static List<LayerConstraint> withConstraints(List<LayerConstraint> constraints, List<LayerConstraint> extra,
                                                 Set<String> keys) {
        if (extra == null || extra.isEmpty()) {
            return constraints;
        }
        List<LayerConstraint> all = constraints == null ? new ArrayList<>() : new ArrayList<>(constraints);
        for (LayerConstraint c : extra) {
            LayerConstraint copy = c.clone();
            copy.setParams(new HashSet<>(keys));
            all.add(copy);
        }
        return all;
    }
}
