package org.recurrent4j.compute;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A kernel's working memory, kept between calls. Allocating the arrays of a pass afresh cost 12-19 ms of a 35 ms
 * LSTM forward pass (batch 32, 50 steps, hidden 128: off-heap allocation and JavaCPP's accounting); kept buffers
 * grow to the largest shape seen and hand out row-major views of their first elements. Arrays live outside DL4J's
 * workspaces; what one call hands out is overwritten by the next call asking for the same name.
 */
public final class Scratch {

    private final Map<String, INDArray> buffers = new HashMap<>();
    /** Java arrays for a step's gate arithmetic: fresh ones cost 1-2 ms a training step to allocate and clear. */
    private final Map<String, double[]> arrays = new HashMap<>();
    /** The same, for the float kernels. */
    private final Map<String, float[]> floatArrays = new HashMap<>();
    /** The last view handed out per name: a streaming caller asks for the same shape every step. */
    private final Map<String, INDArray> views = new HashMap<>();

    /** A {@code [rows, cols]} row-major array named {@code name}, contents undefined. */
    public INDArray get(String name, DataType dt, long rows, long cols) {
        return get(name, dt, rows, cols, 'c');
    }

    /** As {@link #get}, in {@code order}: 'c' row-major or 'f' column-major. */
    public INDArray get(String name, DataType dt, long rows, long cols, char order) {
        INDArray last = views.get(name);
        if (last != null && last.dataType() == dt && last.size(0) == rows && last.size(1) == cols
                && last.ordering() == order) {
            return last;
        }
        long need = Math.max(1, rows * cols);
        INDArray buf = buffers.get(name);
        if (buf == null || buf.dataType() != dt || buf.length() < need) {
            buf = Blocks.uninitialized(dt, 1, Math.max(need, buf == null ? 0 : buf.length()));
            buffers.put(name, buf);
        }
        INDArray flat = buf.length() == need ? buf : buf.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, need));
        INDArray view = flat.reshape(order, rows, cols);
        views.put(name, view);
        return view;
    }

    /** A Java array of {@code n} elements named {@code name}, contents undefined. */
    public double[] array(String name, int n) {
        double[] a = arrays.get(name);
        if (a == null || a.length != n) {
            a = new double[n];
            arrays.put(name, a);
        }
        return a;
    }

    /** As {@link #array}, in float. */
    public float[] floatArray(String name, int n) {
        float[] a = floatArrays.get(name);
        if (a == null || a.length != n) {
            a = new float[n];
            floatArrays.put(name, a);
        }
        return a;
    }

    /** As {@link #floatArray}, zeroed. */
    public float[] zeroedFloatArray(String name, int n) {
        float[] a = floatArray(name, n);
        java.util.Arrays.fill(a, 0f);
        return a;
    }

    /** As {@link #array}, zeroed. */
    public double[] zeroedArray(String name, int n) {
        double[] a = array(name, n);
        java.util.Arrays.fill(a, 0.0);
        return a;
    }

    /** As {@link #get}, zeroed. */
    public INDArray zeros(String name, DataType dt, long rows, long cols) {
        INDArray a = get(name, dt, rows, cols);
        Mem.zero(a, 0, a.length());
        return a;
    }
}
