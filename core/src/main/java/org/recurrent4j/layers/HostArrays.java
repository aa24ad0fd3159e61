package org.recurrent4j.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between ND4J arrays and Java arrays for the layers whose arithmetic runs in Java (the CRF, the character
 * CNN), with as few intermediate arrays as ND4J allows: one copy where the array is already dense in row-major order.
 */
final class HostArrays {

    private HostArrays() {
    }

    /** The elements of {@code a} in row-major order, as doubles. */
    static double[] doubles(INDArray a) {
        INDArray c = a.ordering() == 'c' && a.offset() == 0 && a.length() == a.data().length()
                && a.elementWiseStride() == 1 ? a : a.dup('c');
        return c.data().asDouble();
    }

    /** A new array of {@code type} and {@code shape} (row-major) holding {@code values}. */
    static INDArray of(double[] values, long[] shape, DataType type) {
        if (type == DataType.FLOAT) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return Nd4j.create(f, shape, 'c');
        }
        return Nd4j.create(values, shape, 'c').castTo(type);
    }
}
