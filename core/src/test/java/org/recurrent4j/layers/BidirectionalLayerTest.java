package org.recurrent4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Map;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.RecurrentLayerConf;
import org.recurrent4j.conf.RecurrentParamInitializer;

/**
 * The layers' own bidirectional mode ({@code .bidirectional(true)}): against DL4J's {@code Bidirectional(CONCAT)}
 * wrapper around the same cell with the same weights (an independent implementation: it reverses the input with ND4J
 * and concatenates with ND4J), gradient checks, serialization, and what it refuses. PyTorch's bidirectional layers
 * are checked against their fixtures in {@code TorchFixtureTest}, imported into this mode.
 */
class BidirectionalLayerTest {

    private static final String[] KEYS = {RecurrentParamInitializer.WEIGHT_KEY,
        RecurrentParamInitializer.RECURRENT_WEIGHT_KEY, RecurrentParamInitializer.BIAS_KEY,
        RecurrentParamInitializer.RECURRENT_BIAS_KEY};

    static MultiLayerNetwork nativeNet(String cell, DataType dt, RNNFormat format) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(dt)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(Nets.cell(cell).nIn(3).nOut(4).dataFormat(format).bidirectional(true).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(Nets.CLASSES).dataFormat(format).build())
                .setInputType(InputType.recurrent(3, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.getLayer(0).paramTable().forEach((k, v) -> {
            if (k.startsWith("b") || k.startsWith("RB")) {
                v.assign(Nd4j.rand(dt, v.shape()).subi(0.5));
            }
        });
        return net;
    }

    /** DL4J's wrapper around the same cell, holding {@code from}'s weights. */
    static MultiLayerNetwork wrapped(String cell, MultiLayerNetwork from, DataType dt, RNNFormat format) {
        MultiLayerNetwork net = Nets.net(cell, 3, 4, format, true, dt, 7);
        Map<String, INDArray> src = from.getLayer(0).paramTable();
        Map<String, INDArray> dst = net.getLayer(0).paramTable();
        for (String k : KEYS) {
            if (src.containsKey(k)) {
                dst.get("f" + k).assign(src.get(k));
                dst.get("b" + k).assign(src.get(k + RecurrentParamInitializer.REVERSE_SUFFIX));
            }
        }
        net.getLayer(1).setParams(from.getLayer(1).params().dup());
        return net;
    }

    @ParameterizedTest
    @CsvSource({"lstm,DOUBLE,NCW", "gru,DOUBLE,NCW", "gru-reset-before,DOUBLE,NWC", "rnn-tanh,DOUBLE,NCW",
        "lstm,FLOAT,NWC", "gru,FLOAT,NCW", "rnn-relu,FLOAT,NCW"})
    void equalsDl4jsBidirectionalWrapperOnOutputsAndGradients(String cell, DataType dt, RNNFormat format) {
        MultiLayerNetwork mine = nativeNet(cell, dt, format);
        MultiLayerNetwork theirs = wrapped(cell, mine, dt, format);
        INDArray x = Nets.input(dt, 4, 3, 6, format, 3);
        INDArray y = Nets.labels(dt, 4, 6, format, 5);
        double tol = dt == DataType.DOUBLE ? 1e-12 : 1e-5;
        // right-padded, and a mask with holes: the backward direction reads the live steps last to first
        INDArray holes = Nets.mask(dt, 6, 6, 4, 1, 5);
        holes.putScalar(0, 2, 0.0);
        holes.putScalar(3, 0, 0.0);
        for (INDArray mask : new INDArray[]{null, Nets.mask(dt, 6, 6, 4, 1, 5), holes}) {
            assertClose("output", theirs.output(x, false, mask, mask), mine.output(x, false, mask, mask), tol);
            Pair<Gradient, Double> a = gradients(theirs, x, y, mask);
            Pair<Gradient, Double> b = gradients(mine, x, y, mask);
            assertEquals(a.getSecond(), b.getSecond(), tol * Math.abs(a.getSecond()), "score");
            Map<String, INDArray> ga = a.getFirst().gradientForVariable();
            Map<String, INDArray> gb = b.getFirst().gradientForVariable();
            for (String k : KEYS) {
                if (gb.containsKey("0_" + k)) {
                    assertClose(k, ga.get("0_f" + k), gb.get("0_" + k), tol);
                    assertClose(k + "Reverse", ga.get("0_b" + k),
                            gb.get("0_" + k + RecurrentParamInitializer.REVERSE_SUFFIX), tol);
                }
            }
            // the input gradient, through the layer's own backprop
            assertClose("dx", inputGradient(theirs, x, mask), inputGradient(mine, x, mask), tol);
        }
    }

    private static Pair<Gradient, Double> gradients(MultiLayerNetwork net, INDArray x, INDArray y, INDArray mask) {
        net.setInput(x);
        net.setLabels(y);
        net.setLayerMaskArrays(mask, mask);
        net.computeGradientAndScore();
        Gradient g = net.gradient();
        Gradient copy = new org.deeplearning4j.nn.gradient.DefaultGradient();
        g.gradientForVariable().forEach((k, v) -> copy.setGradientFor(k, v.dup()));
        return new Pair<>(copy, net.score());
    }

    private static INDArray inputGradient(MultiLayerNetwork net, INDArray x, INDArray mask) {
        org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        layer.setMaskArray(mask);
        INDArray out = layer.activate(true, LayerWorkspaceMgr.noWorkspaces());
        Nd4j.getRandom().setSeed(11);
        INDArray eps = Nd4j.rand(out.dataType(), out.shape()).subi(0.5);
        return layer.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces()).getSecond().dup();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "gru-reset-before", "rnn-tanh"})
    void gradientCheckWithMask(String cell) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        MultiLayerNetwork net = nativeNet(cell, DataType.DOUBLE, RNNFormat.NCW);
        INDArray x = Nets.input(DataType.DOUBLE, 3, 3, 5, RNNFormat.NCW, 4);
        INDArray y = Nets.labels(DataType.DOUBLE, 3, 5, RNNFormat.NCW, 6);
        INDArray mask = Nets.mask(DataType.DOUBLE, 5, 5, 3, 4);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .inputMask(mask).labelMask(mask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)), cell);
    }

    @Test
    void gradientCheckInAComputationGraphOfTwoBidirectionalLayers() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in")
                .addLayer("l1", Nets.cell("lstm").nOut(3).bidirectional(true).build(), "in")
                .addLayer("l2", Nets.cell("gru").nOut(2).bidirectional(true).build(), "l1")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(Nets.CLASSES).build(), "l2")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(4))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        assertEquals(6, ((RecurrentLayerConf) graph.getLayer("l2").conf().getLayer()).getNIn(), "l2 reads 2 x 3");
        INDArray x = Nets.input(DataType.DOUBLE, 2, 4, 4, RNNFormat.NCW, 8);
        INDArray y = Nets.labels(DataType.DOUBLE, 2, 4, RNNFormat.NCW, 9);
        INDArray mask = Nets.mask(DataType.DOUBLE, 4, 4, 2);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[]{x}).labels(new INDArray[]{y}).inputMask(new INDArray[]{mask})
                .labelMask(new INDArray[]{mask}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
    }

    @Test
    void jsonAndModelSerializerRoundTrips(@TempDir File dir) throws Exception {
        MultiLayerNetwork net = nativeNet("gru", DataType.FLOAT, RNNFormat.NCW);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        assertEquals(net.getLayerWiseConfigurations(), back);
        assertTrue(((RecurrentLayerConf) back.getConf(0).getLayer()).isBidirectional());
        File f = new File(dir, "bidi.zip");
        ModelSerializer.writeModel(net, f, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(f);
        INDArray x = Nets.input(DataType.FLOAT, 2, 3, 5, RNNFormat.NCW, 1);
        assertEquals(net.output(x), restored.output(x));
        assertArrayEquals(new long[]{2, 8, 5}, net.getLayer(0).activate(x, false,
                LayerWorkspaceMgr.noWorkspaces()).shape(), "2 x nOut features");
    }

    @Test
    void parameterCountAndNamesFollowPyTorch() {
        MultiLayerNetwork net = nativeNet("gru", DataType.FLOAT, RNNFormat.NCW);
        Map<String, INDArray> p = net.getLayer(0).paramTable();
        assertEquals(java.util.List.of("W", "RW", "b", "RB", "WReverse", "RWReverse", "bReverse", "RBReverse"),
                new java.util.ArrayList<>(p.keySet()));
        long one = 3 * 12 + 4 * 12 + 12 + 4;
        assertEquals(2 * one, net.getLayer(0).numParams());
    }

    @Test
    void streamingAndTruncatedBpttAreRefusedWithTheReason() {
        MultiLayerNetwork net = nativeNet("lstm", DataType.FLOAT, RNNFormat.NCW);
        INDArray x = Nets.input(DataType.FLOAT, 2, 3, 5, RNNFormat.NCW, 1);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> net.rnnTimeStep(x));
        assertTrue(e.getMessage().contains("rnnTimeStep") && e.getMessage().contains("whole sequence"),
                e.getMessage());
    }

    private static void assertClose(String what, INDArray expected, INDArray actual, double tol) {
        org.recurrent4j.interop.TorchFixtureTest.assertClose(what, expected, actual, tol);
    }
}
