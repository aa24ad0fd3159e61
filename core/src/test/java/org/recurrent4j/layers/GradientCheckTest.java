package org.recurrent4j.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** DL4J's finite-difference gradient check, in double precision, for every cell, format, mask and direction. */
class GradientCheckTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (String cell : new String[]{"rnn-tanh", "rnn-identity", "lstm", "gru", "gru-reset-before", "lstm-proj",
                "rnn-sigmoid", "lstm-relu-hard-sigmoid", "gru-reset-before-linear-hard-sigmoid"}) {
            for (RNNFormat format : RNNFormat.values()) {
                for (boolean masked : new boolean[]{false, true}) {
                    for (boolean bidi : new boolean[]{false, true}) {
                        s.add(Arguments.of(cell, format, masked, bidi));
                    }
                }
            }
        }
        return s.build();
    }

    @ParameterizedTest(name = "{0} {1} masked={2} bidirectional={3}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(String cell, RNNFormat format, boolean masked, boolean bidi) {
        int batch = 3;
        int nIn = 4;
        int hidden = 5;
        int steps = 6;
        MultiLayerNetwork net = Nets.net(cell, nIn, hidden, format, bidi, DataType.DOUBLE, 12345);
        INDArray x = Nets.input(DataType.DOUBLE, batch, nIn, steps, format, 7);
        INDArray y = Nets.labels(DataType.DOUBLE, batch, steps, format, 8);
        INDArray mask = masked ? Nets.mask(DataType.DOUBLE, steps, 6, 4, 1) : null;
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .inputMask(mask).labelMask(mask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check failed for " + cell + " " + format + " masked=" + masked + " bidi=" + bidi);
    }
}
