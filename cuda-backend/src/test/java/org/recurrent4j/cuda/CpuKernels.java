package org.recurrent4j.cuda;

import org.recurrent4j.engine.CellEngine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.engine.RecurrentKernel;
import org.recurrent4j.engine.RnnWeights;
import org.recurrent4j.engine.Sequence;

/** The CPU kernels (which the fixture tests hold equal to PyTorch) fed from the CUDA side's host arrays. */
final class CpuKernels {

    private CpuKernels() {
    }

    static RecurrentKernel of(Cell cell) {
        return new CellEngine(declaration(cell));
    }

    /** The CPU side's declaration of the cell these kernels compute. */
    static org.recurrent4j.cells.Cell declaration(Cell cell) {
        return cell.declared();
    }

    static RnnWeights weights(CellWeights w, DataType dt) {
        int width = w.width();
        return new RnnWeights(matrix(w.w(), w.nIn(), width, dt), matrix(w.rw(), w.hidden(), width, dt),
                w.b() == null ? null : matrix(w.b(), 1, width, dt),
                w.rb() == null ? null : matrix(w.rb(), 1, w.hidden(), dt));
    }

    static RnnWeights zeros(CellWeights w, DataType dt) {
        int width = w.width();
        return new RnnWeights(Nd4j.zeros(dt, w.nIn(), width), Nd4j.zeros(dt, w.hidden(), width),
                w.b() == null ? null : Nd4j.zeros(dt, 1, width),
                w.rb() == null ? null : Nd4j.zeros(dt, 1, w.hidden()));
    }

    static Sequence sequence(float[] x, int steps, int batch, int nIn, float[] mask, DataType dt) {
        double[] m = null;
        if (mask != null) {
            m = new double[mask.length];
            for (int i = 0; i < m.length; i++) {
                m[i] = mask[i];
            }
        }
        return new Sequence(matrix(x, steps * batch, nIn, dt), steps, batch, m);
    }

    static INDArray matrix(float[] values, int rows, int cols, DataType dt) {
        return Nd4j.createFromArray(values).reshape('c', rows, cols).castTo(dt);
    }

    static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').reshape(a.length()).toDoubleVector();
    }
}
