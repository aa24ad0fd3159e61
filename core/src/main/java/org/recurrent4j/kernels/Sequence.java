package org.recurrent4j.kernels;

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
}
