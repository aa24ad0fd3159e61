package org.recurrent4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.cells.Nonlinearity;
import org.recurrent4j.conf.ActivationHardSigmoidKeras3;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.KerasRecurrentOutput;
import org.recurrent4j.layers.KerasRecurrentOutputLayer.Merge;
import org.recurrent4j.conf.KerasTimeDistributed;
import org.recurrent4j.conf.Lstm;
import org.recurrent4j.conf.ReverseTime;

/**
 * Finite-difference gradient checks in double precision of the layers the Keras import adds (ReverseTime,
 * KerasRecurrentOutput in every mode, Keras 3's hard sigmoid, KerasTimeDistributed), with masks that have padding at
 * the end, the start and in the middle, so that held steps, reversed masks and first/last real steps are exercised.
 */
class KerasLayersGradientTest {

    private static final int BATCH = 3;
    private static final int IN = 3;
    private static final int HIDDEN = 4;
    private static final int STEPS = 5;
    private static final int CLASSES = 3;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static INDArray mask() {
        return Nd4j.createFromArray(new double[][]{{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {0, 1, 0, 1, 1}});
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (boolean sequences : new boolean[]{true, false}) {
            s.add(Arguments.of(1, Merge.CONCAT, sequences, false, false));   // held masked steps
            s.add(Arguments.of(1, Merge.CONCAT, sequences, true, false));    // zero_output_for_mask
            s.add(Arguments.of(1, Merge.CONCAT, sequences, false, true));    // go_backwards
            for (Merge m : Merge.values()) {
                s.add(Arguments.of(2, m, sequences, true, false));
            }
        }
        return s.build();
    }

    @ParameterizedTest(name = "directions={0} merge={1} sequences={2} zeroOutput={3} backwards={4}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(int directions, Merge merge, boolean sequences, boolean zeroOutput,
                                         boolean backwards) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).list();
        if (backwards) {
            list.layer(new ReverseTime(true, true, RNNFormat.NWC));
        }
        list.layer(new Lstm.Builder().nIn(IN).nOut(HIDDEN).bidirectional(directions == 2).dataFormat(RNNFormat.NWC)
                .build());
        KerasRecurrentOutput out = new KerasRecurrentOutput(directions, merge, sequences, zeroOutput, backwards,
                RNNFormat.NWC);
        list.layer(out);
        long features = out.outputSize((long) directions * HIDDEN);
        if (sequences) {
            list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                    .nIn(features).nOut(CLASSES).dataFormat(RNNFormat.NWC).build());
        } else {
            list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                    .nIn(features).nOut(CLASSES).build());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.DOUBLE, BATCH, STEPS, IN).subi(0.5).muli(2);
        INDArray y = sequences ? oneHot(BATCH * STEPS).reshape(BATCH, STEPS, CLASSES) : oneHot(BATCH);
        // the loss over every step, padded ones included: Keras' outputs there (held, or zero) are part of the model
        INDArray labelMask = sequences ? Nd4j.ones(DataType.DOUBLE, BATCH, STEPS) : null;
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .inputMask(mask()).labelMask(labelMask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, "gradient check failed");
    }

    private static INDArray oneHot(int rows) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, rows, CLASSES);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, i % CLASSES, 1.0);
        }
        return y;
    }

    @Test
    void keras3HardSigmoidAndTimeDistributedGradients() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(new Gru.Builder().nIn(IN).nOut(HIDDEN).resetAfter(false).activation(Nonlinearity.HARD_SIGMOID)
                        .gateActivation(Nonlinearity.HARD_SIGMOID).dataFormat(RNNFormat.NWC).build())
                .layer(new KerasTimeDistributed(new DenseLayer.Builder().nIn(HIDDEN).nOut(HIDDEN)
                        .activation(new ActivationHardSigmoidKeras3()).build(), RNNFormat.NWC))
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nIn(HIDDEN).nOut(2).dataFormat(RNNFormat.NWC).build())
                .build());
        net.init();
        Nd4j.getRandom().setSeed(12);
        INDArray x = Nd4j.rand(DataType.DOUBLE, BATCH, STEPS, IN).subi(0.5).muli(6);
        INDArray y = Nd4j.rand(DataType.DOUBLE, BATCH, STEPS, 2);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .inputMask(mask()).labelMask(Nd4j.ones(DataType.DOUBLE, BATCH, STEPS)).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)), "gradient check failed");
        // Keras 3's definition: relu6(x + 3) / 6
        INDArray in = Nd4j.createFromArray(-4.0, -3.0, -1.5, 0.0, 2.0, 3.0, 7.0);
        assertEquals(Nd4j.createFromArray(0.0, 0.0, 0.25, 0.5, 5.0 / 6.0, 1.0, 1.0),
                new ActivationHardSigmoidKeras3().getActivation(in.dup(), false));
    }
}
