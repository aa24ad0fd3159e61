package org.recurrent4j.conf;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Keras 3's {@code hard_sigmoid}, {@code min(1, max(0, x/6 + 1/2))} (PyTorch's {@code nn.Hardsigmoid}), for DL4J's
 * layers, whose {@code ActivationHardSigmoid} is Keras 2's {@code 0.2 x + 0.5}. Derivative 1/6 where the output is
 * strictly between 0 and 1, else 0.
 */
public class ActivationHardSigmoidKeras3 extends BaseActivationFunction {

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        in.muli(1.0 / 6.0).addi(0.5);
        BooleanIndexing.replaceWhere(in, 0.0, Conditions.lessThan(0.0));
        BooleanIndexing.replaceWhere(in, 1.0, Conditions.greaterThan(1.0));
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        INDArray x = in.dup();
        INDArray inside = x.gt(-3.0).castTo(in.dataType()).muli(x.lt(3.0).castTo(in.dataType()));
        in.assign(inside.muli(1.0 / 6.0).muli(epsilon));
        return new Pair<>(in, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActivationHardSigmoidKeras3;
    }

    @Override
    public int hashCode() {
        return ActivationHardSigmoidKeras3.class.hashCode();
    }

    @Override
    public String toString() {
        return "hardsigmoid(keras3)";
    }
}
