package org.recurrent4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.recurrent4j.conf.CharCnn;
import org.recurrent4j.conf.CrfOutputLayer;
import org.recurrent4j.conf.Lstm;

/** The character CNN against a direct evaluation of its formula, and DL4J's gradient check in double precision. */
class CharCnnTest {

    static final int VOCAB = 7;
    static final int DIM = 4;
    static final int FILTERS = 5;
    static final int MAX_LEN = 5;
    static final int STEPS = 4;
    static final int K = 3;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static ComputationGraph net(int width, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("chars")
                .addLayer("cnn", new CharCnn.Builder().nIn(VOCAB).charDim(DIM).nOut(FILTERS).width(width).build(),
                        "chars")
                .addLayer("rnn", new Lstm.Builder().nIn(FILTERS).nOut(4).dataFormat(RNNFormat.NCW).build(), "cnn")
                .addLayer("crf", new CrfOutputLayer.Builder().nIn(4).nOut(K).build(), "rnn")
                .setOutputs("crf").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        net.getLayer("cnn").getParam("b").assign(Nd4j.rand(DataType.DOUBLE, 1, FILTERS).subi(0.5));
        return net;
    }

    /** Word lengths per [example][step], 0 for padded steps; characters at random from 1..VOCAB-1. */
    static INDArray chars(int[][] lengths, long seed) {
        Random r = new Random(seed);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, lengths.length, MAX_LEN, STEPS);
        for (int b = 0; b < lengths.length; b++) {
            for (int t = 0; t < STEPS; t++) {
                for (int p = 0; p < lengths[b][t]; p++) {
                    x.putScalar(new long[]{b, p, t}, 1 + r.nextInt(VOCAB - 1));
                }
            }
        }
        return x;
    }

    static final int[][] LENGTHS = {{1, 3, 5, 2}, {4, 2, 0, 0}, {5, 1, 2, 0}};

    /** out[b, f, t] = tanh(max_p (b_f + sum_o sum_d W[o*DIM + d, f] * E[c_{p+o-half}, d])), zero outside words. */
    static double reference(ComputationGraph net, INDArray x, int width, int b, int f, int t) {
        INDArray e = net.getLayer("cnn").getParam("E");
        INDArray w = net.getLayer("cnn").getParam("W");
        double bias = net.getLayer("cnn").getParam("b").getDouble(0, f);
        int n = 0;
        while (n < MAX_LEN && x.getDouble(b, n, t) != 0) {
            n++;
        }
        if (n == 0) {
            return 0;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < n; p++) {
            double s = bias;
            for (int o = 0; o < width; o++) {
                int q = p + o - width / 2;
                if (q >= 0 && q < n) {
                    int ch = (int) x.getDouble(b, q, t);
                    for (int d = 0; d < DIM; d++) {
                        s += w.getDouble(o * DIM + d, f) * e.getDouble(ch, d);
                    }
                }
            }
            best = Math.max(best, Math.tanh(s));
        }
        return best;
    }

    @Test
    void outputEqualsTheFormula() {
        for (int width : new int[]{1, 3, 5}) {
            ComputationGraph net = net(width, 21 + width);
            INDArray x = chars(LENGTHS, 5);
            INDArray out = net.feedForward(new INDArray[]{x}, false).get("cnn");
            for (int b = 0; b < LENGTHS.length; b++) {
                for (int f = 0; f < FILTERS; f++) {
                    for (int t = 0; t < STEPS; t++) {
                        assertEquals(reference(net, x, width, b, f, t), out.getDouble(b, f, t), 1e-12,
                                "width " + width + " example " + b + " filter " + f + " step " + t);
                    }
                }
            }
        }
    }

    @Test
    void gradientCheckInDoublePrecision() {
        for (int width : new int[]{1, 3}) {
            ComputationGraph net = net(width, 3);
            INDArray x = chars(LENGTHS, 8);
            INDArray mask = Nets.mask(DataType.DOUBLE, STEPS, 4, 2, 3);
            INDArray y = CrfOutputLayerTest.labels(4, 3, STEPS, new int[]{4, 2, 3});
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                    .inputs(new INDArray[]{x}).labels(new INDArray[]{y}).inputMask(new INDArray[]{mask})
                    .labelMask(new INDArray[]{mask}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertTrue(ok, "width " + width);
        }
    }

    @Test
    void charDropoutOnlyInTrainingAndSerialised() throws Exception {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE)
                .updater(new NoOp()).graphBuilder().addInputs("chars")
                .addLayer("cnn", new CharCnn.Builder().nIn(VOCAB).charDim(DIM).nOut(FILTERS).charDropout(0.5)
                        .build(), "chars")
                .addLayer("crf", new CrfOutputLayer.Builder().nIn(FILTERS).nOut(K).build(), "cnn")
                .setOutputs("crf").build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        INDArray x = chars(LENGTHS, 2);
        INDArray test1 = net.feedForward(new INDArray[]{x}, false).get("cnn");
        INDArray test2 = net.feedForward(new INDArray[]{x}, false).get("cnn");
        INDArray train = net.feedForward(new INDArray[]{x}, true).get("cnn");
        assertEquals(test1, test2);
        assertNotEquals(test1, train);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, false);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()),
                false);
        assertEquals(test1, back.feedForward(new INDArray[]{x}, false).get("cnn"));
    }

    @Test
    void badIndicesAndDropOutAreRefusedByName() {
        ComputationGraph net = net(3, 1);
        INDArray x = chars(LENGTHS, 2);
        x.putScalar(new long[]{1, 0, 1}, VOCAB);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.output(x));
        assertTrue(e.getMessage().contains("outside 1.." + (VOCAB - 1)), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new CharCnn.Builder().nIn(VOCAB).nOut(3).dropOut(0.5).build());
        assertTrue(e.getMessage().contains("charDropout"), e.getMessage());
    }
}
