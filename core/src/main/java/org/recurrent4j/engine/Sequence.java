package org.recurrent4j.engine;

import org.recurrent4j.compute.Mem;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch of sequences, time-major: row {@code t*batch + b} of {@code x} is the input of sequence {@code b} at step
 * {@code t}.
 *
 * @param x     {@code [steps*batch, nIn]}, contiguous in 'c' order
 * @param steps the number of time steps T
 * @param batch the number of sequences B
 * @param mask  null, or {@code steps*batch} entries, time-major: 0 where a step is padding. A padded step leaves the
 *              state as it was and outputs zeros, so a right-padded batch gives what PyTorch's packed sequences give
 */
public record Sequence(INDArray x, int steps, int batch, double[] mask) {

    public Sequence {
        if (x.rank() != 2 || x.size(0) != (long) steps * batch) {
            throw new IllegalArgumentException("input must be [steps*batch, nIn] = [" + ((long) steps * batch)
                    + ", nIn], got " + java.util.Arrays.toString(x.shape()));
        }
        if (mask != null && mask.length != steps * batch) {
            throw new IllegalArgumentException("mask must have steps*batch = " + steps * batch + " entries, got "
                    + mask.length);
        }
    }

    public boolean live(int t, int b) {
        return mask == null || mask[t * batch + b] != 0.0;
    }

    /** True where no sequence is padded at step {@code t}. */
    public boolean full(int t) {
        if (mask == null) {
            return true;
        }
        for (int i = t * batch, end = i + batch; i < end; i++) {
            if (mask[i] == 0.0) {
                return false;
            }
        }
        return true;
    }

    /** Staging for {@link #copyTimeMajor}, per thread: the input as it is, and as the kernels read it. */
    private static final ThreadLocal<float[][]> STAGING = ThreadLocal.withInitial(() -> new float[2][0]);

    /**
     * Copies DL4J's {@code [B, F, T]} input {@code bft} into {@code x}, {@code [T*B, F]} row-major: row
     * {@code t*B + b} gets sequence b's features at step t. A float input laid out densely as {@code [B, F, T]} or
     * {@code [B, T, F]} goes through Java arrays, a block per sequence (ND4J's assign from the permuted view took
     * 0.45 ms at batch 32, 50 steps, 100 features), and a dense single step with one bulk copy; anything else
     * through ND4J.
     */
    public static void copyTimeMajor(INDArray bft, INDArray x) {
        long batch = bft.size(0);
        long f = bft.size(1);
        long t = bft.size(2);
        long n = batch * f * t;
        long[] st = bft.stride();
        boolean ncw = (batch == 1 || st[0] == f * t) && st[1] == t && st[2] == 1;
        boolean nwc = (batch == 1 || st[0] == t * f) && st[1] == 1 && st[2] == f;
        boolean dense = x.ordering() == 'c' && x.rank() == 2 && x.size(0) == t * batch && x.size(1) == f
                && (x.length() <= 1 || x.elementWiseStride() == 1);
        if (t == 1 && dense && bft.dataType() == x.dataType() && n <= Integer.MAX_VALUE
                && (batch == 1 || st[0] == f) && (f == 1 || st[1] == 1)
                && (x.dataType() == DataType.FLOAT || x.dataType() == DataType.DOUBLE)) {
            Mem.copy(bft, 0, x, 0, (int) n);   // one step (a streaming call): the rows are already in order
            return;
        }
        if (bft.dataType() != DataType.FLOAT || x.dataType() != DataType.FLOAT || !(ncw || nwc) || !dense
                || n > Integer.MAX_VALUE || t < 2 || f < 2) {
            x.reshape('c', t, batch, f).assign(bft.permute(2, 0, 1));
            return;
        }
        float[][] staging = STAGING.get();
        if (staging[0].length < n) {
            staging[0] = new float[(int) n];
            staging[1] = new float[(int) n];
        }
        float[] src = staging[0];
        float[] dst = staging[1];
        Mem.read(bft, 0, src, (int) n);
        int nb = (int) batch;
        int nf = (int) f;
        int nt = (int) t;
        for (int b = 0; b < nb; b++) {
            int base = b * nf * nt;
            for (int s = 0; s < nt; s++) {
                int row = (s * nb + b) * nf;
                if (nwc) {
                    System.arraycopy(src, base + s * nf, dst, row, nf);
                } else {
                    for (int k = 0; k < nf; k++) {
                        dst[row + k] = src[base + k * nt + s];
                    }
                }
            }
        }
        Mem.write(x, 0, dst, (int) n);
    }
}
