package org.recurrent4j.layers;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.impl.MergeVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.compute.Mem;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The runtime vertex behind {@code conf.FeatureConcatVertex}: float sequences {@code [B, F_i, T]}
 * concatenated along the features by copies between Java arrays, in any layout the inputs come in (views, permuted
 * arrays); everything else, and the masks, as DL4J's {@link MergeVertex} does it.
 */
public class FeatureConcat extends MergeVertex {

    private final int mergeAxis;
    /** Features of each input in the last forward pass that this class did itself; null where DL4J's did. */
    private long[] widths;

    public FeatureConcat(ComputationGraph graph, String name, int vertexIndex, DataType dataType, int mergeAxis) {
        super(graph, name, vertexIndex, dataType, mergeAxis);
        this.mergeAxis = mergeAxis;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        widths = null;
        if (!canDoForward() || !ours()) {
            return super.doForward(training, workspaceMgr);
        }
        long batch = inputs[0].size(0);
        long steps = inputs[0].size(2);
        long[] w = new long[inputs.length];
        long total = 0;
        for (int i = 0; i < inputs.length; i++) {
            w[i] = inputs[i].size(1);
            total += w[i];
        }
        int n = Math.toIntExact(batch * total * steps);
        float[] out = new float[n];
        long offset = 0;
        for (INDArray in : inputs) {
            long f = in.size(1);
            float[] rows = rowMajor(in);
            int chunk = (int) (f * steps);
            for (int b = 0; b < batch; b++) {
                System.arraycopy(rows, b * chunk, out, (int) ((b * total + offset) * steps), chunk);
            }
            offset += f;
        }
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[]{batch, total, steps}, 'c');
        Mem.write(y, 0, out, n);
        widths = w;
        return y;
    }

    /** True where the inputs are float sequences of one batch and length, merged along the features. */
    private boolean ours() {
        if (inputs.length < 2 || mergeAxis != 1) {
            return false;
        }
        long elements = 0;
        for (INDArray in : inputs) {
            if (in.rank() != 3 || in.dataType() != DataType.FLOAT || in.size(0) != inputs[0].size(0)
                    || in.size(2) != inputs[0].size(2) || in.isView() && in.offset() != 0) {
                return false;
            }
            elements += in.length();
        }
        return elements <= Integer.MAX_VALUE;
    }

    /**
     * The elements of the rank-3 float array {@code a} in row-major order, read through its strides from one bulk copy
     * of the buffer span it covers.
     */
    private static float[] rowMajor(INDArray a) {
        long[] shape = a.shape();
        long[] st = a.stride();
        int n = (int) a.length();
        float[] r = new float[n];
        if (n == 0) {
            return r;
        }
        long span = 1;
        for (int d = 0; d < 3; d++) {
            span += (shape[d] - 1) * Math.abs(st[d]);
        }
        FloatBuffer nio = a.data().asNioFloat();
        int base = (int) a.data().offset();
        boolean dense = a.ordering() == 'c' && a.elementWiseStride() == 1;
        if (dense) {
            nio.get(base, r, 0, n);
            return r;
        }
        if (span > Integer.MAX_VALUE || base + span > nio.limit() || st[0] < 0 || st[1] < 0 || st[2] < 0) {
            return a.dup('c').data().asFloat();
        }
        float[] src = new float[(int) span];
        nio.get(base, src, 0, (int) span);
        int i = 0;
        for (long b = 0; b < shape[0]; b++) {
            for (long f = 0; f < shape[1]; f++) {
                int at = (int) (b * st[0] + f * st[1]);
                for (long t = 0; t < shape[2]; t++) {
                    r[i++] = src[at + (int) (t * st[2])];
                }
            }
        }
        return r;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (widths == null) {
            return super.doBackward(tbptt, workspaceMgr);
        }
        INDArray[] out = new INDArray[widths.length];
        long from = 0;
        for (int i = 0; i < widths.length; i++) {
            out[i] = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                    new long[]{epsilon.size(0), widths[i], epsilon.size(2)}, 'c');
            out[i].assign(epsilon.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + widths[i]),
                    NDArrayIndex.all()));
            from += widths[i];
        }
        return new Pair<>(null, out);
    }

    @Override
    public String toString() {
        return "FeatureConcat(id=" + getVertexIndex() + ",name=\"" + getVertexName() + "\")";
    }
}
