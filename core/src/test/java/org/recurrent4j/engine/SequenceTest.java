package org.recurrent4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@link Sequence#copyTimeMajor} on every layout it takes its own path for, and on those it leaves to ND4J. */
class SequenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"ncw", "nwc", "ncw-view", "double", "f-order", "one-step", "one-step-double",
        "one-step-nwc", "one-step-one-sequence", "one-sequence"})
    void rowTBPlusBHoldsSequenceBAtStepT(String layout) {
        int batch = layout.endsWith("one-sequence") ? 1 : 5;
        int f = 7;
        int t = layout.startsWith("one-step") ? 1 : 9;
        DataType dt = layout.endsWith("double") ? DataType.DOUBLE : DataType.FLOAT;
        INDArray bft = switch (layout) {
            case "nwc", "one-step-nwc" -> Nd4j.rand(dt, batch, t, f).permute(0, 2, 1);
            case "ncw-view" -> Nd4j.rand(dt, batch + 2, f, t).get(NDArrayIndex.interval(1, batch + 1),
                    NDArrayIndex.all(), NDArrayIndex.all());
            case "f-order" -> Nd4j.rand(dt, batch, f, t).dup('f');
            default -> Nd4j.rand(dt, batch, f, t);
        };
        INDArray x = Nd4j.create(dt, (long) t * batch, f).assign(-1);
        Sequence.copyTimeMajor(bft, x);
        for (int s = 0; s < t; s++) {
            for (int b = 0; b < batch; b++) {
                for (int k = 0; k < f; k++) {
                    assertEquals(bft.getDouble(b, k, s), x.getDouble((long) s * batch + b, k),
                            layout + ": step " + s + ", sequence " + b + ", feature " + k);
                }
            }
        }
    }
}
