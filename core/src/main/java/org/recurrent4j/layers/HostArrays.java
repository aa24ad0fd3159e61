package org.recurrent4j.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.compute.Mem;

/**
 * Copies between ND4J arrays and Java arrays for the layers whose arithmetic runs in Java (the CRF, the character
 * CNN), with as few intermediate arrays as ND4J allows: one copy where the array is already dense in row-major order.
 */
public final class HostArrays {

    private HostArrays() {
    }

    /** The elements of {@code a} in row-major order, as doubles. */
    static double[] doubles(INDArray a) {
        INDArray c = a.ordering() == 'c' && a.offset() == 0 && a.length() == a.data().length()
                && a.elementWiseStride() == 1 ? a : a.dup('c');
        return c.data().asDouble();
    }

    /**
     * A new float array of {@code shape} (row-major) holding {@code values}, copied in bulk: ND4J's
     * {@code create(float[], ...)} puts element by element.
     */
    public static INDArray of(float[] values, long... shape) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        if (a.length() != values.length) {
            throw new IllegalArgumentException(values.length + " values for shape " + java.util.Arrays.toString(shape));
        }
        Mem.write(a, 0, values, values.length);
        return a;
    }

    /** A new array of {@code type} and {@code shape} (row-major) holding {@code values}. */
    static INDArray of(double[] values, long[] shape, DataType type) {
        INDArray a = Nd4j.createUninitialized(type == DataType.FLOAT ? DataType.FLOAT : DataType.DOUBLE, shape, 'c');
        write(values, a);
        return type == DataType.FLOAT || type == DataType.DOUBLE ? a : a.castTo(type);
    }

    /**
     * Writes {@code values} into {@code target}, a float or double array, in row-major order: one bulk copy where
     * {@code target} is dense and row-major (ND4J's {@code create(float[], ...)} puts element by element: most of a
     * character CNN's forward pass went there).
     */
    static void write(double[] values, INDArray target) {
        if (target.length() != values.length) {
            throw new IllegalArgumentException("writing " + values.length + " values into an array of "
                    + target.length());
        }
        boolean dense = target.ordering() == 'c' && (target.length() <= 1 || target.elementWiseStride() == 1);
        if (!dense || (target.dataType() != DataType.FLOAT && target.dataType() != DataType.DOUBLE)) {
            target.assign(of(values, target.shape(), DataType.DOUBLE));
            return;
        }
        Mem.write(target, 0, values, values.length);
    }
}
