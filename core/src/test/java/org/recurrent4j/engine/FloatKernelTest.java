package org.recurrent4j.engine;

import org.recurrent4j.cells.LstmCell;
import org.recurrent4j.cells.GruCell;
import org.recurrent4j.cells.ElmanCell;
import org.recurrent4j.cells.Nonlinearity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float networks run the float twins generated from the double kernels ({@code GenerateFloatKernels}); this holds
 * them to the double kernels, which the gradient checks cover, on the same numbers: every cell and activation, padded
 * sequences, an initial state, truncated BPTT. Relative error below 1e-4, the float tolerance of the PyTorch fixtures.
 */
class FloatKernelTest {

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "gru-reset-before", "rnn-tanh", "rnn-relu", "rnn-identity", "lstm-proj"})
    void floatKernelsAgreeWithTheDoubleOnes(String cell) {
        Supplier<RecurrentKernel> kernel = () -> switch (cell) {
            case "lstm" -> new CellEngine(new LstmCell());
            case "lstm-proj" -> new CellEngine(new LstmCell(4));
            case "gru" -> new CellEngine(new GruCell(true));
            case "gru-reset-before" -> new CellEngine(new GruCell(false));
            case "rnn-tanh" -> new CellEngine(new ElmanCell(Nonlinearity.TANH));
            case "rnn-relu" -> new CellEngine(new ElmanCell(Nonlinearity.RELU));
            default -> new CellEngine(new ElmanCell(Nonlinearity.IDENTITY));
        };
        for (int backSteps : new int[]{0, 7}) {
            INDArray[] d = pass(kernel.get(), DataType.DOUBLE, backSteps);
            INDArray[] f = pass(kernel.get(), DataType.FLOAT, backSteps);
            String[] names = {"output", "final h", "final c", "dW", "dR", "db", "drb", "dX", "dWHR"};
            for (int i = 0; i < d.length; i++) {
                if (d[i] == null) {
                    continue;
                }
                assertEquals(DataType.FLOAT, f[i].dataType(), names[i]);
                double scale = Math.max(d[i].amaxNumber().doubleValue(), 1e-30);
                double err = d[i].sub(f[i].castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / scale;
                assertTrue(err < 1e-4, cell + " backSteps " + backSteps + ": " + names[i] + " relative error " + err);
                assertTrue(scale > 1e-6, cell + ": " + names[i] + " is all zeros, which compares nothing");
            }
        }
    }

    /** One training pass at batch 6, 11 steps, in {@code dt}, from the same double-valued numbers. */
    private static INDArray[] pass(RecurrentKernel k, DataType dt, int backSteps) {
        int batch = 6;
        int steps = 11;
        int nIn = 5;
        int hidden = 9;
        int width = k.gates() * hidden;
        boolean gru = k.gates() == 3;
        boolean lstm = k.states() == 2;
        int proj = ((CellEngine) k).cell().projection();
        int state = proj > 0 ? proj : hidden;
        Nd4j.getRandom().setSeed(5);
        RnnWeights w = new RnnWeights(Nd4j.rand(DataType.DOUBLE, nIn, width).subi(0.5).castTo(dt),
                Nd4j.rand(DataType.DOUBLE, state, width).subi(0.5).castTo(dt),
                Nd4j.rand(DataType.DOUBLE, 1, width).subi(0.5).castTo(dt),
                gru ? Nd4j.rand(DataType.DOUBLE, 1, hidden).subi(0.5).castTo(dt) : null,
                proj > 0 ? Nd4j.rand(DataType.DOUBLE, hidden, proj).subi(0.5).castTo(dt) : null);
        RnnWeights grads = new RnnWeights(Nd4j.zeros(dt, nIn, width), Nd4j.zeros(dt, state, width),
                Nd4j.zeros(dt, 1, width), gru ? Nd4j.zeros(dt, 1, hidden) : null,
                proj > 0 ? Nd4j.zeros(dt, hidden, proj) : null);
        double[] mask = new double[steps * batch];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                mask[t * batch + b] = t < steps - b % 3 ? 1 : 0;
            }
        }
        INDArray x = Nd4j.rand(DataType.DOUBLE, steps * batch, nIn).subi(0.5).muli(2).castTo(dt);
        INDArray[] initial = lstm
                ? new INDArray[]{Nd4j.rand(DataType.DOUBLE, batch, state).subi(0.5).castTo(dt),
                        Nd4j.rand(DataType.DOUBLE, batch, hidden).subi(0.5).castTo(dt)}
                : new INDArray[]{Nd4j.rand(DataType.DOUBLE, batch, hidden).subi(0.5).castTo(dt)};
        INDArray dY = Nd4j.rand(DataType.DOUBLE, steps * batch, state).subi(0.5).castTo(dt);
        ForwardPass p = k.forward(w, new Sequence(x, steps, batch, mask), initial, true);
        INDArray y = p.output().dup();
        INDArray[] last = p.finalState();
        INDArray dX = Nd4j.zeros(dt, (long) steps * batch, nIn);
        k.backward(p, dY, backSteps, w, grads, dX);
        return new INDArray[]{y, last[0], lstm ? last[1] : null, grads.w().dup(), grads.rw().dup(), grads.b().dup(),
                gru ? grads.rb().dup() : null, dX.dup(), proj > 0 ? grads.whr().dup() : null};
    }
}
