package org.recurrent4j.cuda;

/**
 * A layer's parameters as host arrays, row-major, in the layout of the CPU kernels: {@code w [nIn, G*H]},
 * {@code rw [H, G*H]}, {@code b [G*H]} or null, {@code rb [H]} (GRU) or null. Gradients come back in the same shape.
 */
public record CellWeights(int nIn, int hidden, float[] w, float[] rw, float[] b, float[] rb) {

    public CellWeights {
        if (nIn <= 0 || hidden <= 0) {
            throw new IllegalArgumentException("nIn and hidden must be positive, got " + nIn + " and " + hidden);
        }
        if (rw.length % ((long) hidden * hidden) != 0 || w.length != (long) nIn * (rw.length / hidden)) {
            throw new IllegalArgumentException("weights must be w [nIn, G*H] and rw [H, G*H] for nIn " + nIn
                    + ", H " + hidden + ": got " + w.length + " and " + rw.length + " values");
        }
    }

    /** G*H, the width of a gate row. */
    public int width() {
        return rw.length / hidden;
    }
}
