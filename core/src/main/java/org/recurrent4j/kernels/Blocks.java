package org.recurrent4j.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Allocation and row blocks of the kernels' own arrays, which live outside DL4J's workspaces. */
final class Blocks {

    private Blocks() {
    }

    /** A zeroed {@code [rows, cols]} 'c' array outside any workspace. */
    static INDArray zeros(DataType dt, long rows, long cols) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(dt, new long[]{rows, cols}, 'c');
        }
    }

    /** An uninitialised {@code [rows, cols]} 'c' array outside any workspace, for arrays written in full. */
    static INDArray uninitialized(DataType dt, long rows, long cols) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitialized(dt, new long[]{rows, cols}, 'c');
        }
    }

    /** Rows {@code [from, from+count)} of a 'c' matrix: a contiguous view, usable as a GEMM result. */
    static INDArray rows(INDArray a, long from, long count) {
        return a.get(NDArrayIndex.interval(from, from + count), NDArrayIndex.all());
    }

    /** Columns {@code [from, from+count)}. */
    static INDArray cols(INDArray a, long from, long count) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + count));
    }

    /** Column sums of {@code a} into the row vector {@code target}. */
    static void colSum(INDArray a, INDArray target) {
        target.assign(a.sum(0).reshape(target.shape()));
    }
}
