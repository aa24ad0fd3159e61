package org.recurrent4j.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Small helpers on sequence arrays for the layers without parameters. */
final class SequenceArrays {

    private SequenceArrays() {
    }

    /** A copy of {@code a} with axis {@code axis} reversed. */
    static INDArray reverseTime(INDArray a, int axis) {
        long steps = a.size(axis);
        INDArray out = a.ulike();
        INDArrayIndex[] from = new INDArrayIndex[a.rank()];
        INDArrayIndex[] to = new INDArrayIndex[a.rank()];
        Arrays.fill(from, NDArrayIndex.all());
        Arrays.fill(to, NDArrayIndex.all());
        for (long t = 0; t < steps; t++) {
            from[axis] = NDArrayIndex.point(t);
            to[axis] = NDArrayIndex.point(steps - 1 - t);
            out.get(to).assign(a.get(from));
        }
        return out;
    }

    /** Refuses anything but a rank-3 sequence, naming the layer and the expected layout. */
    static void requireRank3(INDArray a, RNNFormat format, String what, String layer) {
        if (a.rank() != 3) {
            throw new IllegalArgumentException(what + " " + layer + ": expected a sequence "
                    + (format == RNNFormat.NWC ? "[batch, time, features] (NWC)" : "[batch, features, time] (NCW)")
                    + ", got shape " + Arrays.toString(a.shape()));
        }
    }
}
